import CQL

/// A fresh test node with a client connected to it, as tests and demos use the pair; the client
/// retries fast, so a test of a failure does not wait for production backoffs.
public struct TestNodeSession: Sendable {
    public let node: TestNode
    public let client: CQLClient

    public static func start(credentials: TestNode.Credentials? = nil, options: CQLClient.Options = fastRetries) async throws
        -> TestNodeSession
    {
        let node = try await TestNode.start(credentials: credentials)
        var options = options
        if let credentials { options.connection.credentials = .init(username: credentials.username, password: credentials.password) }
        let client = try await CQLClient.connect(hosts: [.init(host: node.host, port: node.port)], options: options)
        return TestNodeSession(node: node, client: client)
    }

    /// Four attempts, 1 to 5 ms apart.
    public static var fastRetries: CQLClient.Options {
        var o = CQLClient.Options()
        o.retry = RetryPolicy(maxAttempts: 4, initialBackoff: .milliseconds(1), maxBackoff: .milliseconds(5))
        return o
    }

    public func stop() async {
        await client.close()
        await node.stop()
    }
}
