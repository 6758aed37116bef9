import CQL
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL

/// An in-memory, single-node CQL v4 server for tests, benchmarks and demos. It listens on
/// loopback, keeps everything in memory, and can be told to fail (`faults`).
public final class TestNode: Sendable {
    public typealias Credentials = CQL.Credentials

    public let host: String
    public let port: Int
    public let faults = FaultPlan()
    let credentials: Credentials?
    let store: NodeStore
    let connections = NIOLockedValueBox([ObjectIdentifier: Channel]())
    private let listener = NIOLockedValueBox<Channel?>(nil)

    private init(host: String, port: Int, credentials: Credentials?, store: NodeStore) {
        self.host = host
        self.port = port
        self.credentials = credentials
        self.store = store
    }

    /// Starts listening; port 0 picks a free one (read it from `port`).
    /// With `tls`, clients must connect over TLS with the given PEM certificate chain and key.
    /// `schema` statements (CQL, fully qualified names) run before the node accepts connections.
    public static func start(host: String = "127.0.0.1", port: Int = 0, credentials: Credentials? = nil,
        tls: TLSFiles? = nil, schema: [String] = [], clusterName: String = "Forewarn Test Cluster",
        group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> TestNode {
        let store = try NodeStore(clusterName: clusterName)
        for cql in schema { try store.executeLocally(cql) }
        let sslContext = try tls.map { try NIOSSLContext(configuration: try $0.serverConfiguration()) }
        let box = NIOLockedValueBox<TestNode?>(nil)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    guard let node = box.withLockedValue({ $0 }) else { throw CQLClientError.connectionClosed }
                    let sync = channel.pipeline.syncOperations
                    if let sslContext { try sync.addHandler(NIOSSLServerHandler(context: sslContext)) }
                    try sync.addHandler(ByteToMessageHandler(FrameDecoder(expectResponse: false)))
                    try sync.addHandler(MessageToByteHandler(FrameEncoder()))
                    try sync.addHandler(NodeHandler(node: node))
                }
            }
        let channel = try await bootstrap.bind(host: host, port: port).get()
        let node = TestNode(host: host, port: channel.localAddress?.port ?? port, credentials: credentials, store: store)
        node.listener.withLockedValue { $0 = channel }
        box.withLockedValue { $0 = node }
        return node
    }

    public var address: String { "\(host):\(port)" }

    /// PEM files of the node's TLS certificate chain and private key.
    public struct TLSFiles: Sendable {
        public var certificateFile: String
        public var keyFile: String
        public init(certificateFile: String, keyFile: String) {
            self.certificateFile = certificateFile
            self.keyFile = keyFile
        }

        func serverConfiguration() throws -> TLSConfiguration {
            let chain = try NIOSSLCertificate.fromPEMFile(certificateFile).map { NIOSSLCertificateSource.certificate($0) }
            let key = try NIOSSLPrivateKey(file: keyFile, format: .pem)
            return TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
        }
    }

    /// Stops listening and closes every client connection.
    public func stop() async {
        let channel = listener.withLockedValue { c in defer { c = nil }; return c }
        try? await channel?.close()
        await dropConnections()
    }

    /// Closes every client connection (the node keeps listening and keeps its data).
    public func dropConnections() async {
        for c in connections.withLockedValue({ Array($0.values) }) { try? await c.close() }
    }

    public var openConnections: Int { connections.withLockedValue { $0.count } }

    /// Forgets every prepared statement, as a restarted node does; clients then get UNPREPARED.
    public func forgetPreparedStatements() { store.prepared.withLockedValue { $0.removeAll() } }

    /// Rows stored in a table (nil when it does not exist).
    public func rowCount(keyspace: String, table: String) -> Int? {
        store.state.withLockedValue { $0.tables[TableName(keyspace: keyspace, table: table)]?.rowCount }
    }
}
