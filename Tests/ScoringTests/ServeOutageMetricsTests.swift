import CQL
import CQLTestNode
import Foundation
import Kafka
import Scoring
import Testing

/// What `/metrics` and `/readyz` say while an input or a sink is failing (issue 15, item 5).
@Suite(.serialized) struct ServeOutageMetricsTests {
    static func lagSum(_ metrics: ServeMetrics, partitions: Int = 2) -> Double? {
        var sum = 0.0
        for p in 0..<partitions {
            guard let lag = metrics.gauge("forewarn_consumer_lag", labels: "topic=\"meters\",partition=\"\(p)\"") else { return nil }
            sum += lag
        }
        return sum
    }

    @Test func readinessFallsWhileTheBrokersAreGoneAndReturnsWithThem() async throws {
        let (h, metrics) = try await ServeHarness.serving()
        try await h.send(0..<200)
        try await waitFor { metrics.counter("forewarn_events_in_total") == 200 }
        #expect(metrics.gauge("forewarn_ready") == 1)
        try h.cluster.setBrokerDown(1)
        try await waitFor(seconds: 20) { metrics.gauge("forewarn_ready") == 0 }
        #expect(metrics.gauge("forewarn_ready") == 0, "no broker reachable: not ready")
        try h.cluster.setBrokerUp(1)
        try await waitFor(seconds: 30) { metrics.gauge("forewarn_ready") == 1 }
        try await h.send(200..<400)
        try await waitFor(seconds: 20) { metrics.counter("forewarn_events_in_total") >= 400 }
        try await h.stop()
    }

    @Test func aCassandraOutageIsCountedTurnsReadinessOffAndKeepsTheLagLive() async throws {
        let h = try ServeHarness()
        try h.register(seed: 1, promote: true)
        let schema = PredictionSchema.statements(keyspace: "forewarn", replication: ["class": "SimpleStrategy", "replication_factor": "1"])
        let node = try await TestNode.start(schema: schema)
        let port = node.port
        let config = try h.config(extra: "cassandra: {contact_points: [\"127.0.0.1\"], port: \(port), keyspace: forewarn}")
        let metrics = ServeMetrics()
        try await h.start(config, metrics: metrics)
        try await h.send(0..<500)
        try await waitFor { metrics.counter("forewarn_events_in_total") == 500 }
        #expect(metrics.gauge("forewarn_ready") == 1)

        await node.stop()
        // Small rounds, so that several batches wait on Cassandra and consumption pauses.
        for round in 0..<10 {
            try await h.send((500 + round * 200)..<(700 + round * 200))
            try await Task.sleep(for: .milliseconds(100))
        }
        try await waitFor(seconds: 20) { metrics.counter("forewarn_sink_errors_total", labels: "sink=\"cassandra\"") > 0 }
        #expect(metrics.counter("forewarn_sink_errors_total", labels: "sink=\"cassandra\"") > 0, "every failed attempt is counted")
        #expect(metrics.counter("forewarn_cassandra_errors_total") > 0)
        #expect(metrics.gauge("forewarn_ready") == 0, "a failing sink: not ready")
        try await h.send(2_500..<3_500)
        // Committed: 500; written since: 3,000. The lag must show them although nothing is being fetched.
        try await waitFor(seconds: 15) { (Self.lagSum(metrics) ?? 0) >= 3_000 }
        #expect((Self.lagSum(metrics) ?? 0) >= 3_000, "lag while paused: \(String(describing: Self.lagSum(metrics)))")
        #expect(metrics.counter("forewarn_events_in_total") == 500)

        let second = try await TestNode.start(port: port, schema: schema)
        try await waitFor(seconds: 30) { metrics.counter("forewarn_events_in_total") == 3_500 }
        try await waitFor(seconds: 10) { metrics.gauge("forewarn_ready") == 1 && Self.lagSum(metrics) == 0 }
        #expect(metrics.gauge("forewarn_ready") == 1 && Self.lagSum(metrics) == 0)
        try await h.stop()
        #expect(second.rowCount(keyspace: "forewarn", table: "predictions") == 3_000, "the events of the outage")
        await second.stop()
    }

    @Test func afterARestartTheLagStartsFromTheCommittedOffsets() async throws {
        let (h, first) = try await ServeHarness.serving()
        try await h.send(0..<1_000)
        try await waitFor { first.counter("forewarn_events_in_total") == 1_000 }
        try await h.stop()

        let second = ServeMetrics()
        try await h.start(try h.config(), metrics: second)
        try await waitFor(seconds: 20) { Self.lagSum(second) != nil }
        #expect(Self.lagSum(second) == 0, "nothing new since the last commit: \(String(describing: Self.lagSum(second)))")
        #expect(second.counter("forewarn_commits_total") == 0, "no commit yet")
        try await h.stop()
    }
}
