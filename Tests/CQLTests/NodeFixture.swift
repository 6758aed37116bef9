import CQL
import CQLTestNode

/// A fresh in-process test node and a client connected to it, with the test tables.
struct NodeFixture {
    let session: TestNodeSession
    var node: TestNode { session.node }
    var client: CQLClient { session.client }

    static func start(credentials: TestNode.Credentials? = nil, options: CQLClient.Options = fastRetries) async throws -> NodeFixture {
        NodeFixture(session: try await TestNodeSession.start(credentials: credentials, options: options))
    }

    static var fastRetries: CQLClient.Options { TestNodeSession.fastRetries }

    func createSchema(keyspace: String = "forewarn") async throws {
        for s in TestSchema.statements(keyspace: keyspace) { try await client.query(s) }
    }

    func stop() async { await session.stop() }
}
