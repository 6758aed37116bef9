import CQL
import Foundation
import NIOCore

/// Turns terms into values of a column's type: literals as CQL writes them, markers from bound bytes.
struct TermBinder {
    let bound: [ByteBuffer?]
    let markerTypes: [CQLType]

    func value(_ term: Term, as type: CQLType) throws -> CQLValue {
        switch term {
        case .null: return .null
        case .marker(let n):
            guard n < bound.count else { throw InvalidRequest("there are \(markerTypes.count) bind markers but \(bound.count) values") }
            do { return try ValueCodec.read(bound[n], as: type) } catch {
                throw InvalidRequest("bound value \(n) is not a valid \(type): \(error)")
            }
        case .list(let items), .set(let items):
            guard case .list(let e) = type.collectionShape else { throw InvalidRequest("a collection does not fit \(type)") }
            return .list(try items.map { try value($0, as: e) })
        case .map(let entries):
            if entries.isEmpty, case .list = type.collectionShape { return .list([]) }
            guard case .map(let k, let v) = type else { throw InvalidRequest("a map does not fit \(type)") }
            return .map(try entries.map { CQLValue.MapEntry(try value($0.0, as: k), try value($0.1, as: v)) })
        case .literal(let token):
            return try Self.literal(token, as: type)
        }
    }

    static func literal(_ token: Token, as type: CQLType) throws -> CQLValue {
        func bad() -> InvalidRequest { InvalidRequest("invalid \(type) constant \(token)") }
        switch (type, token) {
        case (.text, .string(let s)), (.ascii, .string(let s)): return .text(s)
        case (.int, .number(let n)), (.smallint, .number(let n)), (.tinyint, .number(let n)):
            guard let v = Int32(n) else { throw bad() }
            return .int(v)
        case (.bigint, .number(let n)):
            guard let v = Int64(n) else { throw bad() }
            return .bigint(v)
        case (.timestamp, .number(let n)):
            guard let v = Int64(n) else { throw bad() }
            return .timestamp(v)
        case (.timestamp, .string(let s)):
            guard let ms = parseTimestamp(s) else { throw bad() }
            return .timestamp(ms)
        case (.double, .number(let n)), (.float, .number(let n)):
            guard let v = Double(n) else { throw bad() }
            return .double(v)
        case (.boolean, .word(let w)): return .boolean(w == "true")
        case (.date, .string(let s)):
            guard let days = parseDate(s) else { throw bad() }
            return .date(days)
        case (.date, .number(let n)):
            guard let v = Int64(n) else { throw bad() }
            return .date(Int32(truncatingIfNeeded: v - (1 << 31)))
        case (.uuid, .uuid(let u)), (.timeuuid, .uuid(let u)):
            guard let id = UUID(uuidString: u) else { throw bad() }
            return .uuid(id)
        case (.blob, .hex(let h)):
            guard let bytes = hexBytes(h) else { throw bad() }
            return .blob(bytes)
        case (.inet, .string(let s)):
            let parts = s.split(separator: ".").compactMap { UInt8($0) }
            guard parts.count == 4 else { throw bad() }
            return .blob(parts)
        default: throw bad()
        }
    }

    static func parseDate(_ s: String) -> Int32? {
        let p = s.split(separator: "-")
        guard p.count == 3, let y = Int(p[0]), let m = Int(p[1]), let d = Int(p[2]), (1...12).contains(m), (1...31).contains(d) else {
            return nil
        }
        return Int32(daysFromCivil(y, m, d))
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    static func parseTimestamp(_ s: String) -> Int64? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: s) { return Int64((d.timeIntervalSince1970 * 1000).rounded()) }
        f.formatOptions = [.withInternetDateTime]
        if let d = f.date(from: s) { return Int64((d.timeIntervalSince1970 * 1000).rounded()) }
        if let days = parseDate(s) { return Int64(days) * 86_400_000 }
        return nil
    }

    static func hexBytes(_ h: String) -> [UInt8]? {
        let chars = Array(h)
        guard chars.count % 2 == 0 else { return nil }
        return stride(from: 0, to: chars.count, by: 2).compactMap { UInt8(String(chars[$0...$0 + 1]), radix: 16) }
    }
}

extension CQLType {
    /// Lists and sets share a value representation.
    var collectionShape: CQLType {
        switch self {
        case .set(let e): .list(e)
        default: self
        }
    }
}
