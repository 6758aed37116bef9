import NIOCore

/// A request message (spec section 4.1), encoded by the client and decoded by the test node.
public enum Request: Sendable {
    case startup([String: String])
    case authResponse([UInt8])
    case options
    case query(String, QueryParameters)
    case prepare(String)
    case execute(id: [UInt8], QueryParameters)
    case batch(Batch)
    case register([String])

    public var opcode: Opcode {
        switch self {
        case .startup: .startup
        case .authResponse: .authResponse
        case .options: .options
        case .query: .query
        case .prepare: .prepare
        case .execute: .execute
        case .batch: .batch
        case .register: .register
        }
    }

    /// About the size of the body, to allocate the buffer once.
    var estimatedSize: Int {
        func size(_ values: [ByteBuffer?]) -> Int { values.reduce(2) { $0 + 4 + ($1?.readableBytes ?? 0) } }
        switch self {
        case .query(let cql, let p): return cql.utf8.count + 32 + size(p.values)
        case .execute(let id, let p): return id.count + 32 + size(p.values)
        case .batch(let batch):
            return batch.statements.reduce(32) { total, s in
                switch s {
                case .query(let cql, let values): total + 8 + cql.utf8.count + size(values)
                case .prepared(let id, let values): total + 4 + id.count + size(values)
                }
            }
        default: return 256
        }
    }

    public func writeBody(into b: inout ByteBuffer) {
        switch self {
        case .startup(let options): b.writeCQLStringMap(options)
        case .authResponse(let token):
            b.writeInteger(Int32(token.count))
            b.writeBytes(token)
        case .options: break
        case .query(let cql, let params):
            b.writeCQLLongString(cql)
            params.write(into: &b)
        case .prepare(let cql): b.writeCQLLongString(cql)
        case .execute(let id, let params):
            b.writeCQLShortBytes(id)
            params.write(into: &b)
        case .batch(let batch): batch.write(into: &b)
        case .register(let events): b.writeCQLStringList(events)
        }
    }

    public static func read(opcode: Opcode, body: inout ByteBuffer) throws -> Request {
        let request: Request
        switch opcode {
        case .startup: request = .startup(try body.readCQLStringMap())
        case .authResponse:
            guard var token = try body.readCQLBytes() else { request = .authResponse([]); break }
            request = .authResponse(token.readBytes(length: token.readableBytes) ?? [])
        case .options: request = .options
        case .query: request = .query(try body.readCQLLongString(), try QueryParameters.read(from: &body))
        case .prepare: request = .prepare(try body.readCQLLongString())
        case .execute: request = .execute(id: try body.readCQLShortBytes(), try QueryParameters.read(from: &body))
        case .batch: request = .batch(try Batch.read(from: &body))
        case .register: request = .register(try body.readCQLStringList())
        default: throw CQLProtocolError("opcode \(opcode) is not a request")
        }
        guard body.readableBytes == 0 else { throw CQLProtocolError("\(body.readableBytes) bytes left after a \(opcode) body") }
        return request
    }
}

/// A BATCH message (spec section 4.1.7).
public struct Batch: Sendable {
    public enum Kind: UInt8, Sendable { case logged = 0, unlogged = 1, counter = 2 }
    public enum Statement: Sendable {
        case query(String, values: [ByteBuffer?])
        case prepared(id: [UInt8], values: [ByteBuffer?])
    }

    public var kind: Kind
    public var statements: [Statement]
    public var consistency: Consistency
    public var serialConsistency: Consistency?
    public var defaultTimestamp: Int64?

    public init(kind: Kind, statements: [Statement], consistency: Consistency, serialConsistency: Consistency? = nil,
        defaultTimestamp: Int64? = nil) {
        self.kind = kind
        self.statements = statements
        self.consistency = consistency
        self.serialConsistency = serialConsistency
        self.defaultTimestamp = defaultTimestamp
    }

    func write(into b: inout ByteBuffer) {
        b.writeInteger(kind.rawValue)
        b.writeInteger(UInt16(statements.count))
        for s in statements {
            let values: [ByteBuffer?]
            switch s {
            case .query(let cql, let v):
                b.writeInteger(UInt8(0)); b.writeCQLLongString(cql); values = v
            case .prepared(let id, let v):
                b.writeInteger(UInt8(1)); b.writeCQLShortBytes(id); values = v
            }
            b.writeInteger(UInt16(values.count))
            for v in values { b.writeCQLBytes(v) }
        }
        b.writeInteger(consistency.rawValue)
        var flags: UInt8 = 0
        if serialConsistency != nil { flags |= 0x10 }
        if defaultTimestamp != nil { flags |= 0x20 }
        b.writeInteger(flags)
        if let serialConsistency { b.writeInteger(serialConsistency.rawValue) }
        if let defaultTimestamp { b.writeInteger(defaultTimestamp) }
    }

    static func read(from b: inout ByteBuffer) throws -> Batch {
        let rawKind = try b.readCQLByte()
        guard let kind = Kind(rawValue: rawKind) else { throw CQLProtocolError("unknown batch type \(rawKind)") }
        let n = Int(try b.readCQLShort())
        var statements: [Statement] = []
        statements.reserveCapacity(n)
        for _ in 0..<n {
            let which = try b.readCQLByte()
            let head: Statement
            switch which {
            case 0: head = .query(try b.readCQLLongString(), values: [])
            case 1: head = .prepared(id: try b.readCQLShortBytes(), values: [])
            default: throw CQLProtocolError("batch statement kind \(which) is neither 0 nor 1")
            }
            let count = Int(try b.readCQLShort())
            let values = try (0..<count).map { _ in try QueryParameters.readValue(from: &b) }
            switch head {
            case .query(let cql, _): statements.append(.query(cql, values: values))
            case .prepared(let id, _): statements.append(.prepared(id: id, values: values))
            }
        }
        var batch = Batch(kind: kind, statements: statements, consistency: try b.readCQLConsistency())
        let flags = try b.readCQLByte()
        if flags & 0x40 != 0 { throw CQLProtocolError("named values in a batch are not supported") }
        if flags & 0x10 != 0 { batch.serialConsistency = try b.readCQLConsistency() }
        if flags & 0x20 != 0 { batch.defaultTimestamp = try b.readCQLLong() }
        return batch
    }
}
