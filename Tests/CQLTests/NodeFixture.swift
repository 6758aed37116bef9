import CQL
import CQLTestNode

/// A fresh in-process test node and a client connected to it.
struct NodeFixture {
    let node: TestNode
    let client: CQLClient

    static func start(credentials: TestNode.Credentials? = nil, options: CQLClient.Options = fastRetries) async throws -> NodeFixture {
        let node = try await TestNode.start(credentials: credentials)
        var options = options
        if let credentials { options.connection.credentials = .init(username: credentials.username, password: credentials.password) }
        let client = try await CQLClient.connect(hosts: [.init(host: node.host, port: node.port)], options: options)
        return NodeFixture(node: node, client: client)
    }

    static var fastRetries: CQLClient.Options {
        var o = CQLClient.Options()
        o.retry = RetryPolicy(maxAttempts: 4, initialBackoff: .milliseconds(1), maxBackoff: .milliseconds(5))
        return o
    }

    func createSchema(keyspace: String = "forewarn") async throws {
        for s in TestSchema.statements(keyspace: keyspace) {
            try await client.query(s)
        }
    }

    func stop() async {
        await client.close()
        await node.stop()
    }
}
