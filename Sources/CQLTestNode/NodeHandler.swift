import CQL
import NIOCore

/// One client connection to the test node: the STARTUP/auth handshake, then requests answered
/// in arrival order, each on its own stream id.
final class NodeHandler: ChannelInboundHandler {
    typealias InboundIn = Frame
    typealias OutboundOut = Frame

    static let authenticator = "org.apache.cassandra.auth.PasswordAuthenticator"

    private let node: TestNode
    private var ready = false
    private var keyspace: String?

    init(node: TestNode) { self.node = node }

    func channelActive(context: ChannelHandlerContext) {
        node.connections.withLockedValue { $0[ObjectIdentifier(context.channel)] = context.channel }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        node.connections.withLockedValue { $0[ObjectIdentifier(context.channel)] = nil }
        node.store.listeners.withLockedValue { $0[ObjectIdentifier(context.channel)] = nil }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        var body = frame.body
        let response: Response
        do {
            let request = try Request.read(opcode: frame.opcode, body: &body)
            if let fault = node.faults.take(for: frame.opcode) {
                switch fault {
                case .dropConnection:
                    context.flush()
                    context.close(promise: nil)
                    return
                case .noResponse: return
                default: response = .error(fault.serverError ?? CQLServerError(code: .serverError, message: "fault"))
                }
            } else {
                response = handle(request, channel: context.channel)
            }
        } catch {
            response = .error(Self.serverError(for: error))
        }
        reply(response, stream: frame.stream, context: context)
    }

    private func reply(_ response: Response, stream: Int16, context: ChannelHandlerContext) {
        var out = context.channel.allocator.buffer(capacity: 64)
        var opcode = response.opcode
        do {
            try response.writeBody(into: &out)
        } catch {
            out.clear()
            opcode = .error
            CQLServerError(code: .serverError, message: "cannot encode the response: \(error)").write(into: &out)
        }
        context.write(wrapOutboundOut(Frame(version: Frame.responseVersion, stream: stream, opcode: opcode, body: out)), promise: nil)
    }

    /// Responses to all the requests of one read go out in one flush.
    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        let stream = (error as? UnsupportedVersion)?.stream ?? 0
        let message = (error as? UnsupportedVersion).map {
            "Invalid or unsupported protocol version (\($0.version)); supported versions are (4/v4)"
        } ?? "\(error)"
        var out = context.channel.allocator.buffer(capacity: 64)
        CQLServerError(code: .protocolError, message: message).write(into: &out)
        let frame = Frame(version: Frame.responseVersion, stream: stream, opcode: .error, body: out)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(frame)).whenComplete { _ in channel.close(promise: nil) }
    }

    private func handle(_ request: Request, channel: Channel) -> Response {
        do {
            switch request {
            case .options:
                return .supported(["CQL_VERSION": ["3.4.4"], "COMPRESSION": [], "PROTOCOL_VERSIONS": ["4/v4"]])
            case .startup(let options):
                if let c = options["COMPRESSION"] { throw CQLProtocolError("Unknown compression algorithm: \(c)") }
                if node.credentials != nil { return .authenticate(Self.authenticator) }
                ready = true
                return .ready
            case .authResponse(let token):
                let parts = token.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
                guard let expected = node.credentials, parts.count == 3, parts[1] == expected.username, parts[2] == expected.password
                else {
                    let user = parts.count == 3 ? parts[1] : "?"
                    return .error(CQLServerError(code: .badCredentials,
                        message: "Provided username \(user) and/or password are incorrect"))
                }
                ready = true
                return .authSuccess([])
            default:
                guard ready else { throw CQLProtocolError("Unexpected message \(request.opcode), expecting STARTUP or AUTH_RESPONSE") }
                return try handleReady(request, channel: channel)
            }
        } catch {
            return .error(Self.serverError(for: error))
        }
    }

    private func handleReady(_ request: Request, channel: Channel) throws -> Response {
        switch request {
        case .register:
            node.store.listeners.withLockedValue { $0[ObjectIdentifier(channel)] = channel }
            return .ready
        case .query(let cql, let params):
            let (statement, markers) = try Parser.parse(cql, keyspace: keyspace)
            let shape = try node.store.state.withLockedValue {
                try StatementShape(statement, markers: markers, state: $0, keyspace: keyspace)
            }
            return try run(statement, binder: TermBinder(bound: params.values, markerTypes: shape.bindColumns.map(\.type)), channel: channel)
        case .prepare(let cql):
            let (id, entry) = try node.store.prepare(cql, keyspace: keyspace)
            return .result(.prepared(PreparedResult(id: id, bindColumns: entry.bindColumns, pkIndices: entry.pkIndices,
                resultColumns: entry.resultColumns)))
        case .execute(let id, let params):
            let entry = try node.store.preparedEntry(id)
            let binder = TermBinder(bound: params.values, markerTypes: entry.bindColumns.map(\.type))
            var response = try run(entry.statement, binder: binder, channel: channel, keyspace: entry.keyspace)
            if params.skipMetadata, case .result(.rows(var rows)) = response {
                rows.omitMetadata = true
                response = .result(.rows(rows))
            }
            return response
        case .batch(let batch):
            try runBatch(batch)
            return .result(.void)
        default:
            throw CQLProtocolError("unexpected \(request.opcode) request")
        }
    }

    private func run(_ statement: Statement, binder: TermBinder, channel: Channel, keyspace ks: String?? = nil) throws -> Response {
        guard binder.bound.count == binder.markerTypes.count else {
            throw InvalidRequest("there were \(binder.markerTypes.count) markers(?) in CQL but \(binder.bound.count) bound variables")
        }
        var current = ks ?? keyspace
        let outcome = try node.store.state.withLockedValue { try Executor.run(statement, binder: binder, state: &$0, keyspace: &current) }
        if case .use = statement { keyspace = current }
        if let change = outcome.schemaChange { node.store.publish(change, allocator: channel.allocator) }
        return .result(outcome.result)
    }

    private func runBatch(_ batch: Batch) throws {
        var work: [(Statement, TermBinder, String?)] = []
        for s in batch.statements {
            switch s {
            case .query(let cql, let values):
                let (statement, markers) = try Parser.parse(cql, keyspace: keyspace)
                let shape = try node.store.state.withLockedValue { try StatementShape(statement, markers: markers, state: $0, keyspace: keyspace) }
                work.append((statement, TermBinder(bound: values, markerTypes: shape.bindColumns.map(\.type)), keyspace))
            case .prepared(let id, let values):
                let entry = try node.store.preparedEntry(id)
                work.append((entry.statement, TermBinder(bound: values, markerTypes: entry.bindColumns.map(\.type)), entry.keyspace ?? keyspace))
            }
        }
        for (statement, binder, _) in work {
            switch statement {
            case .insert, .delete: break
            default: throw InvalidRequest("Only INSERT, UPDATE and DELETE statements are allowed in a BATCH")
            }
            guard binder.bound.count == binder.markerTypes.count else {
                throw InvalidRequest("there were \(binder.markerTypes.count) markers(?) in CQL but \(binder.bound.count) bound variables")
            }
        }
        try node.store.state.withLockedValue { state in
            for (statement, binder, ks) in work {
                var k = ks
                _ = try Executor.run(statement, binder: binder, state: &state, keyspace: &k)
            }
        }
    }

    static func serverError(for error: Error) -> CQLServerError {
        switch error {
        case let e as SyntaxError: CQLServerError(code: .syntaxError, message: "line 1:0 \(e.message)")
        case let e as InvalidRequest: CQLServerError(code: .invalid, message: e.message)
        case let e as AlreadyExists:
            CQLServerError(code: .alreadyExists,
                message: e.table.isEmpty ? "Keyspace \(e.keyspace) already exists" : "Object \(e.keyspace).\(e.table) already exists",
                details: .alreadyExists(keyspace: e.keyspace, table: e.table))
        case let e as UnpreparedError:
            CQLServerError(code: .unprepared, message: "Prepared query with ID \(e.id.map { String(format: "%02x", $0) }.joined()) not found",
                details: .unprepared(id: e.id))
        case let e as CQLProtocolError: CQLServerError(code: .protocolError, message: e.description)
        case let e as CQLServerError: e
        default: CQLServerError(code: .serverError, message: "\(error)")
        }
    }
}
