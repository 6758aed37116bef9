import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Parsing of field values from raw bytes, shared by the CSV and JSON-lines
/// importers so both accept and reject exactly the same texts with the same words.
enum FieldText {
    enum Number {
        case value(Double)
        case missing
        /// The text was a number but not a finite one (`NaN`, `inf`, `1e999`).
        case notFinite
        case invalid
    }

    enum Time {
        case value(Int64)
        case missing
        case outOfRange
        /// A calendar date alone (`2026-01-15`): not an instant, and midnight would be a guess.
        case dateOnly
        case invalid
    }

    enum Text {
        case value(String)
        /// Bytes that are not UTF-8 (or an escaped lone surrogate): replacing them would make different raw ids equal.
        case invalidUTF8
        case tooLong
    }

    /// Longest key or id accepted, in UTF-8 bytes: every prediction carries both (the key also as its
    /// Kafka key), so they must keep a prediction a small message.
    static let maxTextBytes = 4_096

    /// A series key or an event id: valid UTF-8 of at most `maxTextBytes` bytes, taken as it is.
    static func text(_ bytes: UnsafeBufferPointer<UInt8>) -> Text {
        guard bytes.count <= maxTextBytes else { return .tooLong }
        guard let text = String(validating: bytes, as: UTF8.self) else { return .invalidUTF8 }
        return .value(text)
    }

    /// Longest numeric text accepted; longer ones are not numbers anyone writes.
    static let maxNumberBytes = 320

    /// A decimal number (`3.5`, `-1e-3`, `+.5`), after trimming spaces and tabs.
    /// `strtod` alone would also take hex floats and `infinity`, so the bytes are checked first.
    static func number(_ raw: UnsafeBufferPointer<UInt8>) -> Number {
        let b = trimmed(raw)
        guard !b.isEmpty else { return .missing }
        var decimal = true
        for c in b where !((c >= 48 && c <= 57) || c == 43 || c == 45 || c == 46 || c == 101 || c == 69) {
            decimal = false
            break
        }
        guard decimal else { return isNonFiniteWord(b) ? .notFinite : .invalid }
        guard b.count <= maxNumberBytes else { return .invalid }
        let parsed: Double? = withUnsafeTemporaryAllocation(of: CChar.self, capacity: b.count + 1) { tmp in
            for i in 0..<b.count { tmp[i] = CChar(bitPattern: b[i]) }
            tmp[b.count] = 0
            guard let start = tmp.baseAddress else { return nil }
            var end: UnsafeMutablePointer<CChar>?
            let v = strtod(start, &end)
            guard let end, start.distance(to: end) == b.count else { return nil }
            return v
        }
        guard let parsed else { return .invalid }
        return parsed.isFinite ? .value(parsed) : .notFinite
    }

    /// `nan`, `inf`, `infinity` in any case, with an optional sign.
    static func isNonFiniteWord(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var word = b[...]
        if let c = word.first, c == 43 || c == 45 { word = word.dropFirst() }
        let lower = String(decoding: UnsafeBufferPointer(rebasing: word), as: UTF8.self).lowercased()
        return lower == "nan" || lower == "inf" || lower == "infinity"
    }

    /// A time by `EventTime.parse`, telling out-of-range times apart from non-times.
    static func time(_ raw: UnsafeBufferPointer<UInt8>) -> Time {
        let b = trimmed(raw)
        guard !b.isEmpty else { return .missing }
        // Fast path for epoch milliseconds: the common machine-written form, parsed without allocating.
        if let ms = integer(b) { return EventTime.validRange.contains(ms) ? .value(ms) : .outOfRange }
        guard b.count <= 64 else { return .invalid }
        let text = String(decoding: b, as: UTF8.self)
        let dateShaped = b.count >= 10 && b[4] == 45
        if dateShaped, b.count == 10 { return EventTime.parse(text) == nil && !isDateOutOfRange(b) ? .invalid : .dateOnly }
        if !dateShaped, let d = Double(text), d.isFinite {
            // EventTime converts integral doubles with Int64(d), which traps beyond Int64's range.
            guard abs(d) < 9.2e18 else { return .outOfRange }
            if let ms = EventTime.parse(text) { return .value(ms) }
            return d.rounded() == d ? .outOfRange : .invalid
        }
        if let ms = EventTime.parse(text) { return .value(ms) }
        return isDateOutOfRange(b) ? .outOfRange : .invalid
    }

    /// Whether a text that failed to parse is a well-formed date whose only fault is
    /// its year (before 1970, or pushed out by its offset): re-parsed as year 2000.
    private static func isDateOutOfRange(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard b.count >= 10, b[4] == 45, b[0..<4].allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return false }
        var bytes = Array(b)
        bytes.replaceSubrange(0..<4, with: Array("2000".utf8))
        return EventTime.parse(String(decoding: bytes, as: UTF8.self)) != nil
    }

    /// An optionally negative integer of at most 18 digits (so it cannot overflow).
    private static func integer(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        var i = 0
        let negative = b[0] == 45
        if negative { i = 1 }
        let digits = b.count - i
        guard digits > 0, digits <= 18 else { return nil }
        var v: Int64 = 0
        while i < b.count {
            let c = b[i]
            guard c >= 48, c <= 57 else { return nil }
            v = v * 10 + Int64(c - 48)
            i += 1
        }
        return negative ? -v : v
    }

    /// The bytes without leading and trailing spaces and tabs.
    static func trimmed(_ b: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var lo = 0, hi = b.count
        while lo < hi, b[lo] == 32 || b[lo] == 9 { lo += 1 }
        while hi > lo, b[hi - 1] == 32 || b[hi - 1] == 9 { hi -= 1 }
        return UnsafeBufferPointer(rebasing: b[lo..<hi])
    }

    /// A value quoted for an error message, shortened so one bad row cannot flood the report.
    static func quoted(_ b: UnsafeBufferPointer<UInt8>) -> String {
        let s = String(decoding: b, as: UTF8.self)
        return s.count > 40 ? "'\(s.prefix(40))…'" : "'\(s)'"
    }
}
