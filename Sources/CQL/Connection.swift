import NIOCore
import NIOPosix
import NIOSSL

/// One open, started connection to a node.
public final class Connection: Sendable {
    public let host: String
    public let port: Int
    let channel: Channel

    init(host: String, port: Int, channel: Channel) {
        self.host = host
        self.port = port
        self.channel = channel
    }

    public var isActive: Bool { channel.isActive }

    /// Sends a request and waits for its response; an ERROR response is returned, not thrown.
    public func send(_ request: Request, timeout: TimeAmount? = nil) async throws -> Response {
        let promise = channel.eventLoop.makePromise(of: Response.self)
        channel.writeAndFlush(PendingRequest(request: request, promise: promise, timeout: timeout)).whenFailure { error in
            promise.fail(ClientHandler.clientError(error))
        }
        return try await promise.futureResult.get()
    }

    /// Like `send`, but an ERROR response is thrown as `CQLServerError`.
    public func call(_ request: Request, timeout: TimeAmount? = nil) async throws -> QueryResult {
        switch try await send(request, timeout: timeout) {
        case .result(let r): return r
        case .error(let e): throw e
        case let other: throw CQLClientError.unexpectedResponse("\(other.opcode) to \(request.opcode)")
        }
    }

    public func close() async {
        try? await channel.close()
    }

    /// Opens a TCP (optionally TLS) connection, runs STARTUP and authentication, and selects the keyspace.
    public static func connect(host: String, port: Int, options: ConnectionOptions,
        group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> Connection {
        let tls = try options.tls.map { try NIOSSLContext(configuration: $0.clientConfiguration()) }
        let onEvent = options.onEvent
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(options.connectTimeout)
            .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    if let tls {
                        let serverName = options.tls?.serverName ?? (host.first?.isNumber == true ? nil : host)
                        try sync.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverName))
                    }
                    try sync.addHandler(ByteToMessageHandler(FrameDecoder(expectResponse: true)))
                    try sync.addHandler(MessageToByteHandler(FrameEncoder()))
                    try sync.addHandler(ClientHandler(onEvent: onEvent))
                }
            }
        let channel: Channel
        do {
            channel = try await bootstrap.connect(host: host, port: port).get()
        } catch {
            throw CQLClientError.connectFailed("\(host):\(port): \(ConnectFailure.reason(error))")
        }
        let connection = Connection(host: host, port: port, channel: channel)
        do {
            try await connection.startUp(options)
        } catch {
            await connection.close()
            throw error
        }
        return connection
    }

    private func startUp(_ options: ConnectionOptions) async throws {
        let timeout = options.requestTimeout
        var response: Response
        do {
            response = try await send(.startup(["CQL_VERSION": "3.0.0"]), timeout: timeout)
        } catch let error as UnsupportedVersion {
            throw CQLClientError.unsupportedProtocol("the node at \(host):\(port) does not speak protocol v4 (it answered with v\(error.version))")
        } catch let error as CQLProtocolError {
            throw CQLClientError.connectFailed("\(host):\(port) did not answer STARTUP with a CQL v4 frame: \(error)")
        }
        if case .authenticate(let authenticator) = response {
            guard let credentials = options.credentials else { throw CQLClientError.authenticationRequired(authenticator) }
            let token = [0] + Array(credentials.username.utf8) + [0] + Array(credentials.password.utf8)
            response = try await send(.authResponse(token), timeout: timeout)
            if case .authChallenge = response {
                throw CQLClientError.unexpectedResponse("authenticator \(authenticator) sent a challenge; only PasswordAuthenticator is supported")
            }
        }
        switch response {
        case .ready, .authSuccess: break
        case .error(let e) where e.code == .protocolError && e.message.lowercased().contains("version"):
            throw CQLClientError.unsupportedProtocol("the node at \(host):\(port) refused protocol v4: \(e.message)")
        case .error(let e): throw e
        case let other: throw CQLClientError.unexpectedResponse("\(other.opcode) to STARTUP")
        }
        if !options.events.isEmpty {
            guard case .ready = try await send(.register(options.events), timeout: timeout) else {
                throw CQLClientError.unexpectedResponse("REGISTER was not answered with READY")
            }
        }
        if let keyspace = options.keyspace {
            _ = try await call(.query("USE \(CQLIdentifier.quote(keyspace))", QueryParameters(consistency: .one)), timeout: timeout)
        }
    }
}

/// Quoting of names in generated CQL.
public enum CQLIdentifier {
    public static func quote(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
