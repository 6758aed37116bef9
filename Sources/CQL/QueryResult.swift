import NIOCore

/// A RESULT message (spec section 4.2.5).
public enum QueryResult: Sendable {
    case void
    case rows(Rows)
    case setKeyspace(String)
    case prepared(PreparedResult)
    case schemaChange(SchemaChange)

    func write(into b: inout ByteBuffer) throws {
        switch self {
        case .void: b.writeInteger(Int32(1))
        case .rows(let rows):
            b.writeInteger(Int32(2))
            try rows.write(into: &b)
        case .setKeyspace(let ks):
            b.writeInteger(Int32(3))
            b.writeCQLString(ks)
        case .prepared(let p):
            b.writeInteger(Int32(4))
            b.writeCQLShortBytes(p.id)
            ResultMetadata.write(p.bindColumns, pkIndices: p.pkIndices, into: &b)
            ResultMetadata.write(p.resultColumns, into: &b)
        case .schemaChange(let s):
            b.writeInteger(Int32(5))
            s.write(into: &b)
        }
    }

    static func read(from b: inout ByteBuffer) throws -> QueryResult {
        let kind = try b.readCQLInt()
        switch kind {
        case 1: return .void
        case 2: return .rows(try Rows.read(from: &b))
        case 3: return .setKeyspace(try b.readCQLString())
        case 4:
            let id = try b.readCQLShortBytes()
            let bind = try ResultMetadata.read(from: &b, prepared: true)
            let result = try ResultMetadata.read(from: &b, prepared: false)
            return .prepared(PreparedResult(id: id, bindColumns: bind.columns, pkIndices: bind.pkIndices, resultColumns: result.columns))
        case 5: return .schemaChange(try SchemaChange.read(from: &b))
        default: throw CQLProtocolError("unknown result kind \(kind)")
        }
    }
}

/// Rows of a result, decoded by the column types in its metadata.
public struct Rows: Sendable {
    public var columns: [ColumnSpec]
    public var rows: [[CQLValue]]
    /// When set, the node writes the metadata's column count but no column specs (skip_metadata).
    public var omitMetadata = false

    public init(columns: [ColumnSpec], rows: [[CQLValue]]) {
        self.columns = columns
        self.rows = rows
    }

    /// The rows as dictionaries keyed by column name.
    public var namedRows: [[String: CQLValue]] {
        rows.map { row in Dictionary(zip(columns.map(\.name), row), uniquingKeysWith: { a, _ in a }) }
    }

    func write(into b: inout ByteBuffer) throws {
        ResultMetadata.write(columns, omitColumns: omitMetadata, into: &b)
        b.writeInteger(Int32(rows.count))
        for row in rows {
            for (value, column) in zip(row, columns) { try ValueCodec.write(value, as: column.type, into: &b) }
        }
    }

    static func read(from b: inout ByteBuffer) throws -> Rows {
        let meta = try ResultMetadata.read(from: &b, prepared: false)
        let count = try b.readCQLInt()
        guard count >= 0 else { throw CQLProtocolError("negative row count \(count)") }
        guard meta.columns.count == meta.count else {
            throw CQLProtocolError("rows without column metadata cannot be decoded (skip_metadata is not used by this client)")
        }
        var rows: [[CQLValue]] = []
        rows.reserveCapacity(min(Int(count), b.readableBytes / max(4, 4 * meta.count) + 1))
        for _ in 0..<count {
            rows.append(try meta.columns.map { try ValueCodec.read(try b.readCQLBytes(), as: $0.type) })
        }
        return Rows(columns: meta.columns, rows: rows)
    }
}

/// The answer to PREPARE.
public struct PreparedResult: Sendable {
    public var id: [UInt8]
    public var bindColumns: [ColumnSpec]
    public var pkIndices: [UInt16]
    public var resultColumns: [ColumnSpec]
    public init(id: [UInt8], bindColumns: [ColumnSpec], pkIndices: [UInt16], resultColumns: [ColumnSpec]) {
        self.id = id
        self.bindColumns = bindColumns
        self.pkIndices = pkIndices
        self.resultColumns = resultColumns
    }
}

/// A schema change, as a RESULT and as an EVENT (spec section 4.2.5.5).
public struct SchemaChange: Sendable, Equatable {
    public var change: String
    public var target: String
    public var keyspace: String
    public var name: String?
    public init(change: String, target: String, keyspace: String, name: String? = nil) {
        self.change = change
        self.target = target
        self.keyspace = keyspace
        self.name = name
    }

    func write(into b: inout ByteBuffer) {
        b.writeCQLString(change)
        b.writeCQLString(target)
        b.writeCQLString(keyspace)
        if target != "KEYSPACE" { b.writeCQLString(name ?? "") }
        if target == "FUNCTION" || target == "AGGREGATE" { b.writeCQLStringList([]) }
    }

    static func read(from b: inout ByteBuffer) throws -> SchemaChange {
        var s = SchemaChange(change: try b.readCQLString(), target: try b.readCQLString(), keyspace: try b.readCQLString())
        if s.target != "KEYSPACE" { s.name = try b.readCQLString() }
        if s.target == "FUNCTION" || s.target == "AGGREGATE" { _ = try b.readCQLStringList() }
        return s
    }
}
