import Foundation

/// A value as Forewarn reads and writes it. Timestamps are milliseconds since the epoch;
/// dates are days since the epoch (the protocol shifts them by 2^31 on the wire).
public enum CQLValue: Hashable, Sendable {
    case null
    case text(String)
    case int(Int32)
    case bigint(Int64)
    case double(Double)
    case boolean(Bool)
    case timestamp(Int64)
    case date(Int32)
    case uuid(UUID)
    case blob([UInt8])
    case list([CQLValue])
    case map([MapEntry])

    public struct MapEntry: Hashable, Sendable {
        public var key: CQLValue
        public var value: CQLValue
        public init(_ key: CQLValue, _ value: CQLValue) {
            self.key = key
            self.value = value
        }
    }

    public var text: String? { if case .text(let s) = self { s } else { nil } }
    public var int64: Int64? {
        switch self {
        case .int(let v): Int64(v)
        case .bigint(let v), .timestamp(let v): v
        case .date(let v): Int64(v)
        default: nil
        }
    }
    public var double: Double? { if case .double(let v) = self { v } else { nil } }
    public var bool: Bool? { if case .boolean(let v) = self { v } else { nil } }
    public var isNull: Bool { self == .null }
}

extension CQLValue: Comparable {
    /// Orders values of one column the way Cassandra orders clustering keys of that type;
    /// values of different kinds fall back to a fixed order of kinds.
    public static func < (a: CQLValue, b: CQLValue) -> Bool {
        switch (a, b) {
        case (.text(let x), .text(let y)): return Array(x.utf8).lexicographicallyPrecedes(y.utf8)
        case (.int(let x), .int(let y)): return x < y
        case (.bigint(let x), .bigint(let y)), (.timestamp(let x), .timestamp(let y)): return x < y
        case (.double(let x), .double(let y)): return x < y
        case (.boolean(let x), .boolean(let y)): return !x && y
        case (.date(let x), .date(let y)): return x < y
        case (.uuid(let x), .uuid(let y)): return x.uuidString < y.uuidString
        case (.blob(let x), .blob(let y)): return x.lexicographicallyPrecedes(y)
        case (.list(let x), .list(let y)): return x.lexicographicallyPrecedes(y)
        default: return a.kindRank < b.kindRank
        }
    }

    private var kindRank: Int {
        switch self {
        case .null: 0
        case .text: 1
        case .int: 2
        case .bigint: 3
        case .double: 4
        case .boolean: 5
        case .timestamp: 6
        case .date: 7
        case .uuid: 8
        case .blob: 9
        case .list: 10
        case .map: 11
        }
    }
}
