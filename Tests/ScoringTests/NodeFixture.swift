import CQL
import CQLTestNode
import Scoring

/// A fresh in-process CQL test node and a client connected to it, for the Cassandra sink's tests.
struct NodeFixture {
    let session: TestNodeSession
    var node: TestNode { session.node }
    var client: CQLClient { session.client }

    static func start(options: CQLClient.Options = fastRetries) async throws -> NodeFixture {
        NodeFixture(session: try await TestNodeSession.start(options: options))
    }

    static var fastRetries: CQLClient.Options { TestNodeSession.fastRetries }

    /// The prediction tables, as `forewarn cassandra init` creates them.
    func createSchema(keyspace: String = "forewarn") async throws {
        for s in PredictionSchema.statements(keyspace: keyspace, replication: ["class": "SimpleStrategy", "replication_factor": "1"]) {
            try await client.query(s)
        }
    }

    func stop() async { await session.stop() }
}
