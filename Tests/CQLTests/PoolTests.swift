import CQL
import CQLTestNode
import Testing

@Suite struct PoolTests {
    @Test func connectionsSpreadOverContactPointsAndSurviveALostNode() async throws {
        let a = try await TestNode.start(), b = try await TestNode.start()
        defer { Task { await b.stop() } }
        var options = NodeFixture.fastRetries
        options.connectionsPerHost = 2
        let client = try await CQLClient.connect(hosts: [.init(host: a.host, port: a.port), .init(host: b.host, port: b.port)], options: options)
        #expect(a.openConnections == 2 && b.openConnections == 2)
        await a.stop()
        for _ in 0..<8 { #expect(try await client.select("SELECT key FROM system.local").rows.count == 1) }
        #expect(client.metrics.snapshot.failures == 0)
        await client.close()
    }

    @Test func aDeadContactPointIsSkippedAtStart() async throws {
        let dead = try await TestNode.start()
        let deadPort = dead.port
        await dead.stop()
        let live = try await TestNode.start()
        defer { Task { await live.stop() } }
        let client = try await CQLClient.connect(hosts: [.init(host: "127.0.0.1", port: deadPort), .init(host: live.host, port: live.port)],
            options: NodeFixture.fastRetries)
        for _ in 0..<4 { #expect(try await client.select("SELECT key FROM system.local").rows.count == 1) }
        await client.close()
    }
}
