import Foundation
import Kafka
import Scoring
import Testing

/// A message too large to dead-letter whole must not jam the scorer: it goes out cut, headers saying so.
@Suite(.serialized) struct OversizedDeadLetterTests {
    static let size = 1_000_000

    /// Valid events, one ~1,000,000-byte unreadable value (accepted by the broker, above the scorer
    /// producer's default `message.max.bytes` once its headers are added), then more valid events.
    func run(extra: String) async throws {
        let h = try ServeHarness()
        try h.register(seed: 1, promote: true)
        let metrics = ServeMetrics()
        try await h.start(try h.config(extra: extra), metrics: metrics)
        try await h.send(0..<500)
        let big = try KafkaProducer(
            configuration: KafkaProducerConfiguration(bootstrapServers: h.cluster.bootstrapServers, properties: ["message.max.bytes": "2000000"]))
        try await big.send([KafkaProducerMessage(topic: h.topic, key: Array("m1".utf8), value: [UInt8](repeating: UInt8(ascii: "x"), count: Self.size))])
        try await h.send(500..<1_000)

        let predictions = try await h.readDistinctEvents(h.output, count: 1_000, maxPolls: 300)
        let dead = try await h.read(h.dead, count: 1, maxPolls: 300)
        // Commits go on past it: the scorer's committed offsets reach the end of both partitions.
        func lag(_ p: Int) -> Double? { metrics.gauge("forewarn_consumer_lag", labels: "topic=\"meters\",partition=\"\(p)\"") }
        try await waitFor { metrics.counter("forewarn_events_in_total") >= 1_001 && lag(0) == 0 && lag(1) == 0 }
        let clock = ContinuousClock(), t0 = clock.now
        try await h.stop()  // returns: the scorer is not stuck retrying the dead letter
        #expect(clock.now - t0 < .seconds(10))

        #expect(Set(predictions.compactMap { $0.json["event_id"] as? String }).count == 1_000, "every valid event after it is scored")
        try #require(dead.count == 1)
        func header(_ name: String) -> String? { dead[0].headers.first { $0.name == name }?.value.map { String(decoding: $0, as: UTF8.self) } }
        #expect(dead[0].value.count < Self.size && dead[0].value.count > Self.size / 2, "cut, not emptied: \(dead[0].value.count)")
        #expect(dead[0].value.allSatisfy { $0 == UInt8(ascii: "x") }, "the first bytes of the original")
        #expect(header(DeadLetter.originalSizeHeader) == "\(Self.size)")
        #expect(header(DeadLetter.errorHeader)?.hasPrefix("invalid JSON") == true, "\(header(DeadLetter.errorHeader) ?? "none")")
        #expect(header(DeadLetter.sourceHeader)?.hasPrefix("meters/") == true)
        #expect(metrics.counter("forewarn_dead_letters_truncated_total") == 1)
        await big.close()
    }

    @Test func atLeastOnce() async throws { try await run(extra: "") }

    @Test func exactlyOnce() async throws { try await run(extra: "delivery: exactly-once") }
}
