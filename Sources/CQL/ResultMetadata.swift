import NIOCore

/// One column of a result or of a prepared statement's bind variables.
public struct ColumnSpec: Sendable, Hashable {
    public var keyspace: String
    public var table: String
    public var name: String
    public var type: CQLType
    public init(keyspace: String, table: String, name: String, type: CQLType) {
        self.keyspace = keyspace
        self.table = table
        self.name = name
        self.type = type
    }
}

/// Reading and writing the <metadata> of Rows and Prepared results (spec 4.2.5.2 and 4.2.5.4).
enum ResultMetadata {
    static let globalTablesSpec: Int32 = 0x0001
    static let hasMorePages: Int32 = 0x0002
    static let noMetadata: Int32 = 0x0004

    static func write(_ columns: [ColumnSpec], pkIndices: [UInt16]? = nil, omitColumns: Bool = false, into b: inout ByteBuffer) {
        let global = !columns.isEmpty && columns.allSatisfy { $0.keyspace == columns[0].keyspace && $0.table == columns[0].table }
        var flags: Int32 = 0
        if omitColumns { flags |= noMetadata } else if global { flags |= globalTablesSpec }
        b.writeInteger(flags)
        b.writeInteger(Int32(columns.count))
        if let pkIndices {
            b.writeInteger(Int32(pkIndices.count))
            for i in pkIndices { b.writeInteger(i) }
        }
        if omitColumns { return }
        if global {
            b.writeCQLString(columns[0].keyspace)
            b.writeCQLString(columns[0].table)
        }
        for c in columns {
            if !global {
                b.writeCQLString(c.keyspace)
                b.writeCQLString(c.table)
            }
            b.writeCQLString(c.name)
            c.type.write(into: &b)
        }
    }

    /// Returns the columns (empty when the node sent none) and, for prepared metadata, the key indices.
    static func read(from b: inout ByteBuffer, prepared: Bool) throws -> (columns: [ColumnSpec], pkIndices: [UInt16], count: Int) {
        let flags = try b.readCQLInt()
        let count = try b.readCQLInt()
        guard count >= 0, Int(count) <= max(b.readableBytes, 1) * 2 + 1 else {
            throw CQLProtocolError("column count \(count) is impossible")
        }
        var pk: [UInt16] = []
        if prepared {
            let n = try b.readCQLInt()
            guard n >= 0, n <= count else { throw CQLProtocolError("partition key count \(n) exceeds \(count) columns") }
            pk = try (0..<n).map { _ in try b.readCQLShort() }
        }
        if flags & hasMorePages != 0 { _ = try b.readCQLBytes() }
        if flags & noMetadata != 0 { return ([], pk, Int(count)) }
        var ks = "", table = ""
        let global = flags & globalTablesSpec != 0
        if global {
            ks = try b.readCQLString()
            table = try b.readCQLString()
        }
        var columns: [ColumnSpec] = []
        for _ in 0..<count {
            if !global {
                ks = try b.readCQLString()
                table = try b.readCQLString()
            }
            let name = try b.readCQLString()
            columns.append(ColumnSpec(keyspace: ks, table: table, name: name, type: try CQLType.read(from: &b)))
        }
        return (columns, pk, Int(count))
    }
}
