import EventArchive
import Foundation
import Kafka
import Scoring
import Testing

/// `delivery: exactly-once` against librdkafka's mock cluster: predictions and input offsets in transactions.
@Suite(.serialized) struct ServeExactlyOnceTests {
    @Test func predictionsAndOffsetsGoOutThroughTransactions() async throws {
        let h = try ServeHarness(partitions: 2)
        try h.register(seed: 1, promote: true)
        let metrics = ServeMetrics()
        try await h.start(try h.config(extra: "delivery: exactly-once"), metrics: metrics)
        try await h.send(0..<1_000)
        let predictions = try await h.read(h.output, count: 1_000, isolation: "read_committed")
        try await waitFor { metrics.counter("forewarn_events_in_total") == 1_000 }
        // The scorer records an input offset only once the transaction carrying it committed; lag is measured
        // against those, so it reaches zero only when transactions covered every event.
        func lag(_ p: Int) -> Double? { metrics.gauge("forewarn_consumer_lag", labels: "topic=\"meters\",partition=\"\(p)\"") }
        try await waitFor { lag(0) == 0 && lag(1) == 0 }
        try await h.stop()

        let ids = predictions.map { $0.json["event_id"] as? String ?? "" }
        #expect(ids.count == 1_000 && Set(ids).count == 1_000, "a read_committed reader sees every prediction once")
        let batches = metrics.counter("forewarn_batches_total")
        #expect(batches > 0 && metrics.counter("forewarn_commits_total") == batches, "one transaction per batch")
        #expect(metrics.counter("forewarn_sink_errors_total") == 0)
        let committed = try await h.committedInputOffsets()
        // librdkafka 2.0.2's mock answers TxnOffsetCommit without storing the offsets (Tests/KafkaTests/TransactionTests);
        // a real broker stores them.
        withKnownIssue("the 2.0.2 mock cluster does not store transactional offset commits", isIntermittent: true) {
            #expect(committed == 1_000)
        }
    }

    @Test func aFailedTransactionIsRetriedWholeAndTheArchiveKeepsEveryEventOnce() async throws {
        let h = try ServeHarness()
        try h.register(seed: 1, promote: true)
        let archive = h.dir.appendingPathComponent("archive")
        // Fails its first two writes of the first three batches: each of those transactions aborts twice, and
        // every retry writes every sink again, the archive included.
        let flaky = FlakySink(failing: [0, 1, 2], failures: 2)
        let metrics = ServeMetrics()
        let config = try h.config(extra: "delivery: exactly-once\narchive: \(archive.path)")
        let stack = try await h.start(config, metrics: metrics, extraSinks: [flaky])
        #expect(stack.sinks.map(\.name) == ["archive", "kafka", "flaky"])
        try await h.send(0..<600)
        let predictions = try await h.readDistinctEvents(h.output, count: 600)
        try await waitFor { metrics.counter("forewarn_events_in_total") == 600 }
        try await h.stop()

        #expect(Set(predictions.compactMap { $0.json["event_id"] as? String }).count == 600)
        #expect(metrics.counter("forewarn_sink_errors_total", labels: "sink=\"kafka\"") >= 2, "transactions were aborted and retried")
        #expect(flaky.written == Array(0..<flaky.written.count), "every batch went through once, in order")
        var archived: [String] = []
        _ = try ArchiveReader(root: archive, stream: "meters").read(strict: true) { archived += $0.eventIDs ?? [] }
        #expect(archived.count == 600 && Set(archived).count == 600, "retried transactions archive nothing twice")
    }
}
