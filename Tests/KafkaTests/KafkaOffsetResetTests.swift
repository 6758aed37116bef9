@testable import Kafka
import Testing

/// librdkafka's `OFFSET` warning, as its log callback gets it, becomes a `KafkaOffsetReset`.
@Suite struct KafkaOffsetResetTests {
    @Test func theWarningIsParsed() {
        let line = "[thrd:main]: meters [3]: offset reset (at offset 1000, broker 1) to cached BEGINNING offset 8220: "
            + "fetch failed due to requested offset not available on the broker: Broker: Offset out of range"
        let reset = KafkaOffsetReset(logLine: line)
        #expect(reset?.topic == "meters" && reset?.partition == 3 && reset?.from == 1000)
        #expect(reset?.to == "cached BEGINNING offset 8220" && reset?.toOffset == 8220 && reset?.skipped == 7220)
        #expect(reset?.reason.hasSuffix("Broker: Offset out of range") == true)
    }

    @Test func withoutThreadNameOrBrokerAndASymbolicOffset() {
        let reset = KafkaOffsetReset(logLine: "a.b-c_d [0]: offset reset (at offset INVALID) to BEGINNING: no previously committed offset: Local: No offset stored")
        #expect(reset?.topic == "a.b-c_d" && reset?.from == nil && reset?.to == "BEGINNING" && reset?.skipped == nil)
    }

    @Test func otherOffsetLinesAreNot() {
        #expect(KafkaOffsetReset(logLine: "[thrd:main]: meters [0]: stored offset 5 committed") == nil)
    }
}

/// The embedded cluster deletes a partition's oldest message sets past about 5 MiB (8 MiB are produced here);
/// a consumer still at offset 0
/// is reset to the new log start, and `offsetResets` says how many it lost.
@Suite struct EmbeddedRetentionResetTests {
    @Test func aConsumerBehindTheLogStartIsResetAndToldHowManyWereDeleted() async throws {
        let (cluster, topic) = try KafkaTestSupport.cluster(brokers: 1, topic: "retention", partitions: 1)
        let producer = try KafkaTestSupport.producer(cluster)
        let value = [UInt8](repeating: 0x61, count: 1_024)
        try await producer.send((0..<8_000).map { _ in KafkaProducerMessage(topic: topic, value: value) })
        await producer.close()
        let group = KafkaTestSupport.unique("behind")
        let committer = try KafkaTestSupport.consumer(cluster, group: group)
        try await committer.commit([KafkaPartitionOffset(topic: topic, partition: 0, offset: 0)])
        _ = await committer.close()

        let consumer = try KafkaTestSupport.subscribed(cluster, group: group, topic: topic)
        let resets = Task { () -> KafkaOffsetReset? in
            for await reset in consumer.offsetResets { return reset }
            return nil
        }
        var first: Int64?
        for _ in 0..<200 where first == nil {
            let batch = try await consumer.poll(maxMessages: 10, timeout: .milliseconds(50))
            if !batch.isEmpty { first = batch.offset(at: 0) }
        }
        _ = await consumer.close()
        let reset = await resets.value
        #expect(reset?.topic == topic && reset?.partition == 0 && reset?.from == 0)
        #expect((reset?.skipped ?? 0) > 0 && reset?.skipped == first, "\(String(describing: reset)), first message read: \(String(describing: first))")
    }
}
