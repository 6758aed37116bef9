import Foundation

/// How a stream's time field is written (`time_format:` in its spec), read by every path that reads
/// events (import, the scorer's decoder), so one text means one time everywhere:
///
/// - `auto` (the default): RFC 3339, or integer epoch milliseconds;
/// - `rfc3339`: RFC 3339 text only;
/// - `epoch_s`, `epoch_ms`, `epoch_us`: epoch seconds (fractions allowed), milliseconds, microseconds;
/// - a pattern with `%Y %m %d %H %M %S` (and `%f`, fractional seconds; `%z`, an offset such as +01:00 or
///   Z; `%%`), for example `%d/%m/%Y %H:%M:%S`, read in the spec's `timezone` unless it has `%z`.
public struct TimeFormat: Sendable, Equatable, Codable {
    enum Kind: Sendable, Equatable {
        case auto, rfc3339, epochSeconds, epochMilliseconds, epochMicroseconds
        case pattern([Piece])
    }

    enum Piece: Sendable, Equatable {
        case literal(UInt8)
        case year, month, day, hour, minute, second, fraction, offset
    }

    /// As written in the spec.
    public let text: String
    let kind: Kind

    public static let auto = TimeFormat(text: "auto", kind: .auto)

    private init(text: String, kind: Kind) {
        self.text = text
        self.kind = kind
    }

    /// Throws a message naming what is wrong (the caller puts it in a `ConfigError`).
    public init(parsing text: String) throws(TimeFormatError) {
        self.text = text
        switch text {
        case "auto": kind = .auto
        case "rfc3339": kind = .rfc3339
        case "epoch_s": kind = .epochSeconds
        case "epoch_ms": kind = .epochMilliseconds
        case "epoch_us": kind = .epochMicroseconds
        default: kind = .pattern(try Self.pieces(text))
        }
    }

    public init(from decoder: any Decoder) throws { try self.init(parsing: try decoder.singleValueContainer().decode(String.self)) }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(text)
    }

    /// Whether an integer time read this way is epoch milliseconds (what the implausibility check is about).
    var readsMilliseconds: Bool { kind == .auto || kind == .epochMilliseconds }

    /// Whether the pattern names its own offset (then the spec's time zone does not apply).
    var hasOffset: Bool {
        if case .pattern(let p) = kind { return p.contains(.offset) }
        return true
    }

    private static func pieces(_ text: String) throws(TimeFormatError) -> [Piece] {
        var out: [Piece] = []
        var bytes = Array(text.utf8)[...]
        while let c = bytes.popFirst() {
            guard c == 37 else {  // %
                out.append(.literal(c))
                continue
            }
            guard let d = bytes.popFirst() else { throw TimeFormatError("time_format '\(text)' ends in a lone %") }
            switch d {
            case UInt8(ascii: "Y"): out.append(.year)
            case UInt8(ascii: "m"): out.append(.month)
            case UInt8(ascii: "d"): out.append(.day)
            case UInt8(ascii: "H"): out.append(.hour)
            case UInt8(ascii: "M"): out.append(.minute)
            case UInt8(ascii: "S"): out.append(.second)
            case UInt8(ascii: "f"): out.append(.fraction)
            case UInt8(ascii: "z"): out.append(.offset)
            case 37: out.append(.literal(37))
            default:
                throw TimeFormatError(
                    "time_format '\(text)': %\(Character(Unicode.Scalar(d))) is not supported (use auto, rfc3339, epoch_s, epoch_ms, "
                        + "epoch_us, or a pattern of %Y %m %d %H %M %S %f %z)")
            }
        }
        guard out.contains(.year), out.contains(.month), out.contains(.day) else {
            throw TimeFormatError("time_format '\(text)' is neither auto, rfc3339, epoch_s, epoch_ms nor epoch_us, and as a pattern needs %Y, %m and %d")
        }
        return out
    }

    /// Reads one time field's text.
    func read(_ raw: UnsafeBufferPointer<UInt8>, zone: TimeZone) -> FieldText.Time {
        switch kind {
        case .auto: return FieldText.time(raw)
        case .rfc3339:
            let b = FieldText.trimmed(raw)
            guard !b.isEmpty else { return .missing }
            guard let first = b.first, first >= 48, first <= 57, b.count >= 19 else { return .invalid }
            return FieldText.time(raw)
        case .epochMilliseconds: return Self.epoch(raw, perSecond: 1000)
        case .epochSeconds: return Self.epoch(raw, perSecond: 1)
        case .epochMicroseconds: return Self.epoch(raw, perSecond: 1_000_000)
        case .pattern(let pieces): return Self.read(FieldText.trimmed(raw), pieces, zone: zone)
        }
    }

    private static func epoch(_ raw: UnsafeBufferPointer<UInt8>, perSecond: Double) -> FieldText.Time {
        let b = FieldText.trimmed(raw)
        guard !b.isEmpty else { return .missing }
        guard b.count <= 40, let v = Double(String(decoding: b, as: UTF8.self)), v.isFinite else { return .invalid }
        let ms = (v * 1000 / perSecond).rounded(.down)
        guard ms >= Double(EventTime.validRange.lowerBound), ms <= Double(EventTime.validRange.upperBound) else { return .outOfRange }
        return .value(Int64(ms))
    }

    private static func read(_ b: UnsafeBufferPointer<UInt8>, _ pieces: [Piece], zone: TimeZone) -> FieldText.Time {
        guard !b.isEmpty else { return .missing }
        var i = 0
        func number(_ most: Int) -> Int? {
            var v = 0, n = 0
            while i < b.count, n < most, b[i] >= 48, b[i] <= 57 {
                v = v * 10 + Int(b[i] - 48)
                i += 1
                n += 1
            }
            return n == 0 ? nil : v
        }
        var y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, frac = 0.0
        var offset: Int?
        for piece in pieces {
            switch piece {
            case .literal(let c):
                guard i < b.count, b[i] == c else { return .invalid }
                i += 1
            case .year: guard let v = number(4) else { return .invalid }; y = v
            case .month: guard let v = number(2), (1...12).contains(v) else { return .invalid }; mo = v
            case .day: guard let v = number(2), (1...31).contains(v) else { return .invalid }; d = v
            case .hour: guard let v = number(2), v < 24 else { return .invalid }; h = v
            case .minute: guard let v = number(2), v < 60 else { return .invalid }; mi = v
            case .second: guard let v = number(2), v < 61 else { return .invalid }; s = v
            case .fraction:
                let start = i
                guard let v = number(9) else { return .invalid }
                frac = Double(v) / pow(10, Double(i - start))
            case .offset:
                guard i < b.count else { return .invalid }
                if b[i] == UInt8(ascii: "Z") {
                    offset = 0
                    i += 1
                    continue
                }
                guard b[i] == 43 || b[i] == 45 else { return .invalid }
                let sign = b[i] == 45 ? -1 : 1
                i += 1
                guard let oh = number(2) else { return .invalid }
                if i < b.count, b[i] == 58 { i += 1 }
                guard let om = number(2) else { return .invalid }
                offset = sign * (oh * 3600 + om * 60)
            }
        }
        guard i == b.count else { return .invalid }
        let local = EventTime.daysFromCivil(y, mo, d) * 86_400_000 + Int64(h * 3_600_000 + mi * 60_000 + s * 1000)
            + Int64(frac * 1000)
        let utc: Int64
        if let offset {
            utc = local - Int64(offset) * 1000
        } else {
            // The zone's offset at that local time: guessed from the offset at the same instant in UTC, then
            // corrected once (exact except in the hour a DST change skips or repeats).
            let first = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(local) / 1000))) * 1000
            let second = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(local - first) / 1000))) * 1000
            utc = local - second
        }
        return EventTime.validRange.contains(utc) ? .value(utc) : .outOfRange
    }
}

public struct TimeFormatError: Error, CustomStringConvertible {
    public let description: String
    init(_ message: String) { description = message }
}
