import NIOCore

/// A response message (spec section 4.2), decoded by the client and encoded by the test node.
public enum Response: Sendable {
    case error(CQLServerError)
    case ready
    case authenticate(String)
    case supported([String: [String]])
    case result(QueryResult)
    case event(Event)
    case authChallenge([UInt8])
    case authSuccess([UInt8])

    public var opcode: Opcode {
        switch self {
        case .error: .error
        case .ready: .ready
        case .authenticate: .authenticate
        case .supported: .supported
        case .result: .result
        case .event: .event
        case .authChallenge: .authChallenge
        case .authSuccess: .authSuccess
        }
    }

    public func writeBody(into b: inout ByteBuffer) throws {
        switch self {
        case .error(let e): e.write(into: &b)
        case .ready: break
        case .authenticate(let name): b.writeCQLString(name)
        case .supported(let options): b.writeCQLStringMultimap(options)
        case .result(let r): try r.write(into: &b)
        case .event(let e): e.write(into: &b)
        case .authChallenge(let token), .authSuccess(let token):
            b.writeInteger(Int32(token.count))
            b.writeBytes(token)
        }
    }

    public static func read(opcode: Opcode, body: inout ByteBuffer) throws -> Response {
        switch opcode {
        case .error: return .error(try CQLServerError.read(from: &body))
        case .ready: return .ready
        case .authenticate: return .authenticate(try body.readCQLString())
        case .supported: return .supported(try body.readCQLStringMultimap())
        case .result: return .result(try QueryResult.read(from: &body))
        case .event: return .event(try Event.read(from: &body))
        case .authChallenge, .authSuccess:
            var token = try body.readCQLBytes()
            let bytes = token.flatMap { t in t.getBytes(at: t.readerIndex, length: t.readableBytes) } ?? []
            token = nil
            return opcode == .authSuccess ? .authSuccess(bytes) : .authChallenge(bytes)
        default: throw CQLProtocolError("opcode \(opcode) is not a response")
        }
    }
}

/// A pushed EVENT (spec section 4.2.6).
public enum Event: Sendable, Equatable {
    case topologyChange(change: String, address: [UInt8], port: Int32)
    case statusChange(change: String, address: [UInt8], port: Int32)
    case schemaChange(SchemaChange)

    func write(into b: inout ByteBuffer) {
        switch self {
        case .topologyChange(let change, let address, let port):
            b.writeCQLString("TOPOLOGY_CHANGE"); b.writeCQLString(change); b.writeCQLInet(address: address, port: port)
        case .statusChange(let change, let address, let port):
            b.writeCQLString("STATUS_CHANGE"); b.writeCQLString(change); b.writeCQLInet(address: address, port: port)
        case .schemaChange(let s):
            b.writeCQLString("SCHEMA_CHANGE"); s.write(into: &b)
        }
    }

    static func read(from b: inout ByteBuffer) throws -> Event {
        let type = try b.readCQLString()
        switch type {
        case "TOPOLOGY_CHANGE":
            let change = try b.readCQLString()
            let inet = try b.readCQLInet()
            return .topologyChange(change: change, address: inet.address, port: inet.port)
        case "STATUS_CHANGE":
            let change = try b.readCQLString()
            let inet = try b.readCQLInet()
            return .statusChange(change: change, address: inet.address, port: inet.port)
        case "SCHEMA_CHANGE": return .schemaChange(try SchemaChange.read(from: &b))
        default: throw CQLProtocolError("unknown event type '\(type)'")
        }
    }
}
