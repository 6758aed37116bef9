import CQL
import CQLTestNode
import Scoring
import Testing

@Suite struct PredictionWriterOutageTests {
    /// Cassandra goes away entirely: `write` keeps trying instead of returning or throwing,
    /// and completes once a node is back on the same address.
    @Test func aWriteWaitsOutAnOutageAndCompletes() async throws {
        let first = try await NodeFixture.start()
        try await first.createSchema()
        let port = first.node.port
        var options = PredictionWriter.Options()
        options.retry = RetryPolicy(maxAttempts: Int.max, initialBackoff: .milliseconds(1), maxBackoff: .milliseconds(20))
        let writer = try await PredictionWriter(client: first.client, keyspace: "forewarn", options: options)
        await first.node.stop()

        let rows = PredictionWriterTests.predictions(count: 120)
        let pending = Task { try await writer.write(rows) }
        while writer.metrics.snapshot.errors < 3 { try await Task.sleep(for: .milliseconds(5)) }
        #expect(writer.metrics.snapshot.rowsWritten == 0)

        let schema = PredictionSchema.statements(keyspace: "forewarn", replication: ["class": "SimpleStrategy", "replication_factor": "1"])
        let second = try await TestNode.start(port: port, schema: schema)
        try await pending.value
        #expect(second.rowCount(keyspace: "forewarn", table: "predictions") == 120)
        #expect(writer.metrics.snapshot.predictionsWritten == 120)
        await first.client.close()
        await second.stop()
    }
}
