import CQL
import CQLTestNode
import Scoring

/// A fresh in-process CQL test node and a client connected to it, for the Cassandra sink's tests.
struct NodeFixture {
    let node: TestNode
    let client: CQLClient

    static func start(options: CQLClient.Options = fastRetries) async throws -> NodeFixture {
        let node = try await TestNode.start()
        let client = try await CQLClient.connect(hosts: [.init(host: node.host, port: node.port)], options: options)
        return NodeFixture(node: node, client: client)
    }

    static var fastRetries: CQLClient.Options {
        var o = CQLClient.Options()
        o.retry = RetryPolicy(maxAttempts: 4, initialBackoff: .milliseconds(1), maxBackoff: .milliseconds(5))
        return o
    }

    /// The prediction tables, as `forewarn cassandra init` creates them.
    func createSchema(keyspace: String = "forewarn") async throws {
        for s in PredictionSchema.statements(keyspace: keyspace, replication: ["class": "SimpleStrategy", "replication_factor": "1"]) {
            try await client.query(s)
        }
    }

    func stop() async {
        await client.close()
        await node.stop()
    }
}
