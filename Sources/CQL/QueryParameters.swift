import NIOCore

/// The <query_parameters> of QUERY and EXECUTE (spec section 4.1.4). Values are already
/// serialized; nil is null.
public struct QueryParameters: Sendable {
    public var consistency: Consistency
    public var values: [ByteBuffer?]
    public var names: [String]?
    public var skipMetadata: Bool
    public var pageSize: Int32?
    public var pagingState: ByteBuffer?
    public var serialConsistency: Consistency?
    public var defaultTimestamp: Int64?

    public init(consistency: Consistency, values: [ByteBuffer?] = [], serialConsistency: Consistency? = nil,
        defaultTimestamp: Int64? = nil) {
        self.consistency = consistency
        self.values = values
        self.names = nil
        self.skipMetadata = false
        self.pageSize = nil
        self.pagingState = nil
        self.serialConsistency = serialConsistency
        self.defaultTimestamp = defaultTimestamp
    }

    enum Flag {
        static let values: UInt8 = 0x01
        static let skipMetadata: UInt8 = 0x02
        static let pageSize: UInt8 = 0x04
        static let pagingState: UInt8 = 0x08
        static let serialConsistency: UInt8 = 0x10
        static let defaultTimestamp: UInt8 = 0x20
        static let names: UInt8 = 0x40
    }

    public func write(into b: inout ByteBuffer) {
        var flags: UInt8 = 0
        if !values.isEmpty { flags |= Flag.values }
        if names != nil, !values.isEmpty { flags |= Flag.names }
        if skipMetadata { flags |= Flag.skipMetadata }
        if pageSize != nil { flags |= Flag.pageSize }
        if pagingState != nil { flags |= Flag.pagingState }
        if serialConsistency != nil { flags |= Flag.serialConsistency }
        if defaultTimestamp != nil { flags |= Flag.defaultTimestamp }
        b.writeInteger(consistency.rawValue)
        b.writeInteger(flags)
        if !values.isEmpty {
            b.writeInteger(UInt16(values.count))
            for (i, v) in values.enumerated() {
                if let names, i < names.count { b.writeCQLString(names[i]) }
                b.writeCQLBytes(v)
            }
        }
        if let pageSize { b.writeInteger(pageSize) }
        if let pagingState { b.writeCQLBytes(pagingState) }
        if let serialConsistency { b.writeInteger(serialConsistency.rawValue) }
        if let defaultTimestamp { b.writeInteger(defaultTimestamp) }
    }

    public static func read(from b: inout ByteBuffer) throws -> QueryParameters {
        var p = QueryParameters(consistency: try b.readCQLConsistency())
        let flags = try b.readCQLByte()
        if flags & Flag.values != 0 {
            let n = Int(try b.readCQLShort())
            var names: [String] = []
            for _ in 0..<n {
                if flags & Flag.names != 0 { names.append(try b.readCQLString()) }
                p.values.append(try readValue(from: &b))
            }
            if flags & Flag.names != 0 { p.names = names }
        }
        p.skipMetadata = flags & Flag.skipMetadata != 0
        if flags & Flag.pageSize != 0 { p.pageSize = try b.readCQLInt() }
        if flags & Flag.pagingState != 0 { p.pagingState = try b.readCQLBytes() }
        if flags & Flag.serialConsistency != 0 { p.serialConsistency = try b.readCQLConsistency() }
        if flags & Flag.defaultTimestamp != 0 { p.defaultTimestamp = try b.readCQLLong() }
        return p
    }

    /// A [value]: like [bytes], but -2 means "not set", which Forewarn treats as null.
    static func readValue(from b: inout ByteBuffer) throws -> ByteBuffer? {
        let n = try b.readCQLInt()
        if n < 0 {
            guard n >= -2 else { throw CQLProtocolError("[value] length \(n) is below -2") }
            return nil
        }
        guard let slice = b.readSlice(length: Int(n)) else { throw CQLProtocolError.truncated("[value]") }
        return slice
    }
}
