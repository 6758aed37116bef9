import Foundation

/// Parsing and formatting of event times: RFC 3339 text or epoch milliseconds.
public enum EventTime {
    /// Earliest and latest times Forewarn accepts (1970-01-01 to 9999-12-31), in ms.
    public static let validRange: ClosedRange<Int64> = 0...253_402_300_799_999

    /// Parses RFC 3339 (`2026-11-24T10:00:00Z`, fractional seconds and offsets
    /// allowed), a bare date (`2026-11-24`, midnight UTC), or integer epoch milliseconds. For
    /// arguments and windows; an event's time field refuses a bare date (`FieldText.time`).
    public static func parse(_ text: Substring) -> Int64? {
        var s = text
        while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" { s = s.dropLast() }
        if let ms = Int64(s) { return validRange.contains(ms) ? ms : nil }
        // Epoch milliseconds written as a float ("1767323045000.0"); range-checked before converting.
        if let d = Double(s), d.isFinite, d.rounded() == d {
            guard d >= Double(validRange.lowerBound), d <= Double(validRange.upperBound) else { return nil }
            return Int64(d)
        }
        return s.withUTF8 { parseRFC3339($0) }
    }

    public static func parse(_ text: String) -> Int64? { parse(Substring(text)) }

    /// RFC 3339 text only, from bytes (no epoch numbers, no surrounding blanks).
    public static func parseRFC3339(utf8 bytes: some Collection<UInt8>) -> Int64? {
        bytes.withContiguousStorageIfAvailable { parseRFC3339($0) } ?? Array(bytes).withUnsafeBufferPointer { parseRFC3339($0) }
    }

    /// RFC 3339 text only, read in place (the bench's prediction reader parses 400,000 a second).
    public static func parseRFC3339(utf8 bytes: UnsafeRawBufferPointer) -> Int64? {
        parseRFC3339(bytes.assumingMemoryBound(to: UInt8.self))
    }

    private static func parseRFC3339(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        func digits(_ from: Int, _ n: Int) -> Int? {
            guard from + n <= b.count else { return nil }
            var v = 0
            for i in from..<(from + n) {
                let c = b[i]
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        guard let year = digits(0, 4), b.count >= 10, b[4] == 45, let month = digits(5, 2), b[7] == 45,
            let day = digits(8, 2), (1...12).contains(month), (1...daysIn(month, year)).contains(day)
        else { return nil }
        var ms = daysFromCivil(year, month, day) * 86_400_000
        if b.count == 10 { return validRange.contains(ms) ? ms : nil }
        guard b.count >= 19, b[10] == 84 || b[10] == 116 || b[10] == 32, let hh = digits(11, 2), b[13] == 58,
            let mm = digits(14, 2), b[16] == 58, let ss = digits(17, 2), hh < 24, mm < 60, ss < 61
        else { return nil }
        ms += Int64(hh * 3_600_000 + mm * 60_000 + ss * 1000)
        var i = 19
        if i < b.count, b[i] == 46 {
            i += 1
            var frac = 0, scale = 100, n = 0
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                if n < 3 { frac += Int(b[i] - 48) * scale; scale /= 10 }
                i += 1; n += 1
            }
            guard n > 0 else { return nil }
            ms += Int64(frac)
        }
        guard i < b.count else { return nil }  // RFC 3339 requires an offset
        if b[i] == 90 || b[i] == 122 {
            i += 1
        } else if b[i] == 43 || b[i] == 45, let oh = digits(i + 1, 2), i + 3 < b.count, b[i + 3] == 58,
            let om = digits(i + 4, 2)
        {
            let offset = Int64(oh * 3_600_000 + om * 60_000)
            ms += b[i] == 43 ? -offset : offset
            i += 6
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        return validRange.contains(ms) ? ms : nil
    }

    private static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }
    private static func daysIn(_ m: Int, _ y: Int) -> Int {
        switch m {
        case 2: isLeap(y) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return Int64(era * 146_097 + doe - 719_468)
    }

    /// (year, month, day) of a day number since 1970-01-01.
    static func civil(fromDays z0: Int64) -> (Int, Int, Int) {
        let z = Int(z0) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp + (mp < 10 ? 3 : -9)
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// `2026-11-24T10:00:00.000Z`.
    public static func format(_ ms: Int64) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        append(ms, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `format(ms)`'s text to `out` without building a String (the
    /// scorer writes one per prediction).
    public static func append(_ ms: Int64, to out: inout [UInt8]) {
        let days = ms >= 0 ? ms / 86_400_000 : (ms - 86_399_999) / 86_400_000
        let rem = Int(ms - days * 86_400_000)
        let (y, m, d) = civil(fromDays: days)
        func digits(_ value: Int, _ width: Int) {
            var v = value, divisor = 1
            for _ in 1..<width { divisor *= 10 }
            if v >= divisor * 10 {
                out.append(contentsOf: String(v).utf8)
                return
            }
            for _ in 0..<width {
                out.append(UInt8(48 + v / divisor))
                v %= divisor
                divisor /= 10
            }
        }
        if y < 0 { out.append(45) }
        digits(abs(y), 4)
        out.append(45)
        digits(m, 2)
        out.append(45)
        digits(d, 2)
        out.append(84)
        digits(rem / 3_600_000, 2)
        out.append(58)
        digits(rem / 60_000 % 60, 2)
        out.append(58)
        digits(rem / 1000 % 60, 2)
        out.append(46)
        digits(rem % 1000, 3)
        out.append(90)
    }

    /// The archive partition of a time: (`date=YYYY-MM-DD`, `hour=HH`).
    public static func partition(_ ms: Int64) -> (date: String, hour: String) {
        let days = ms / 86_400_000
        let (y, m, d) = civil(fromDays: days)
        let h = Int(ms % 86_400_000) / 3_600_000
        return (String(format: "date=%04d-%02d-%02d", y, m, d), String(format: "hour=%02d", h))
    }

    /// Start of the UTC hour containing `ms`.
    public static func hourStart(_ ms: Int64) -> Int64 { ms - ms % 3_600_000 }
}
