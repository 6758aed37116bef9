import Foundation
import Kafka
import Scoring
import Testing

/// An input offset reset ("offset out of range", then `auto.offset.reset`) is data loss: counted, logged, and
/// with `on_offset_reset: exit` a stop with status 8. The group's committed offset is put past the log's end,
/// so the scorer's first fetch is out of range as it is after the embedded cluster deleted old messages.
@Suite(.serialized) struct ServeOffsetResetTests {
    static func harnessWithAnOutOfRangeCommit() async throws -> ServeHarness {
        let h = try ServeHarness(partitions: 1)
        try h.register(seed: 1, promote: true)
        try await h.send(0..<10)
        let group = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(bootstrapServers: h.cluster.bootstrapServers, groupID: "scorer"))
        try await group.commit([KafkaPartitionOffset(topic: h.topic, partition: 0, offset: 1_000)])
        _ = await group.close()
        return h
    }

    @Test func aResetIsCountedAndTheScorerGoesOn() async throws {
        let h = try await Self.harnessWithAnOutOfRangeCommit()
        let metrics = ServeMetrics()
        try await h.start(try h.config(), metrics: metrics)
        try await waitFor(seconds: 20) { metrics.counter("forewarn_events_in_total") == 10 }
        #expect(metrics.counter("forewarn_input_offset_resets_total", labels: "topic=\"meters\",partition=\"0\"") == 1)
        #expect(metrics.counter("forewarn_input_events_skipped_total", labels: "topic=\"meters\",partition=\"0\"") == 0, "past the end: nothing deleted")
        #expect(metrics.render().contains("forewarn_input_offset_resets_total{topic=\"meters\",partition=\"0\"} 1"))
        try await h.stop()
    }

    @Test func withOnOffsetResetExitTheScorerStopsWithStatus8() async throws {
        let h = try await Self.harnessWithAnOutOfRangeCommit()
        let metrics = ServeMetrics()
        try await h.start(try h.config(extra: "on_offset_reset: exit"), metrics: metrics)
        let outcome = await Task { () -> ServeStop? in
            do { try await h.task?.value } catch let stop as ServeStop { return stop } catch {}
            return nil
        }.value
        #expect(outcome?.exitStatus == 8, "\(String(describing: outcome))")
        #expect(metrics.counter("forewarn_input_offset_resets_total", labels: "topic=\"meters\",partition=\"0\"") == 1)
    }

    @Test func onOffsetResetTakesContinueOrExit() throws {
        let h = try ServeHarness(partitions: 1)
        #expect(try h.config().onOffsetReset == .continue)
        #expect(try h.config(extra: "on_offset_reset: exit").onOffsetReset == .exit)
        #expect(throws: (any Error).self) { try h.config(extra: "on_offset_reset: stop") }
    }
}
