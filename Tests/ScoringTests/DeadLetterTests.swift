import Foundation
import Kafka
import Testing

@testable import Scoring

/// Dead letters too large to produce whole are cut to fit, and say so.
@Suite struct DeadLetterTests {
    static func dead(key: Int, value: Int, reason: String = "invalid JSON") -> KafkaProducerMessage {
        DeadLetter.message(
            to: "dead", key: [UInt8](repeating: 107, count: key), value: [UInt8](repeating: 118, count: value), reason: reason,
            topic: "meters", partition: 2, offset: 41)
    }

    func header(_ m: KafkaProducerMessage, _ name: String) -> String? { DeadLetter.header(name, of: m) }

    @Test func aMessageThatFitsIsLeftAlone() {
        let m = Self.dead(key: 10, value: 1_000)
        #expect(DeadLetter.fitted(m, maxBytes: 1_000_000) == m)
        #expect(header(m, DeadLetter.sourceHeader) == "meters/2/41" && header(m, DeadLetter.originalSizeHeader) == nil)
    }

    @Test func anOversizedValueKeepsItsFirstBytesAndItsSize() {
        let m = Self.dead(key: 10, value: 2_000_000)
        let cut = DeadLetter.fitted(m, maxBytes: 1_000_000)
        #expect(DeadLetter.size(cut) <= 1_000_000 && cut.value.count > 990_000)
        #expect(cut.key == m.key && header(cut, DeadLetter.originalSizeHeader) == "2000000")
        #expect(header(cut, DeadLetter.errorHeader) == "invalid JSON" && header(cut, DeadLetter.sourceHeader) == "meters/2/41")
        // Cut again (a broker limit below the producer's): the original size stays, once.
        let again = DeadLetter.fitted(cut, maxBytes: 100_000)
        #expect(DeadLetter.size(again) <= 100_000 && again.headers.filter { $0.name == DeadLetter.originalSizeHeader }.count == 1)
        #expect(header(again, DeadLetter.originalSizeHeader) == "2000000")
    }

    @Test func anOversizedKeyIsCutTooAndALongReasonIsShortened() {
        let m = Self.dead(key: 3_000_000, value: 10, reason: String(repeating: "r", count: 50_000))
        #expect(header(m, DeadLetter.errorHeader)?.utf8.count ?? 0 <= DeadLetter.maxReasonBytes + 3)
        let cut = DeadLetter.fitted(m, maxBytes: 10_000)
        #expect(DeadLetter.size(cut) <= 10_000)
        #expect(header(cut, DeadLetter.originalKeySizeHeader) == "3000000" && header(cut, DeadLetter.originalSizeHeader) == "10")
    }

    /// librdkafka agrees the cut message fits: a producer limited to 20,000 bytes sends it.
    @Test func theProducerAcceptsWhatFitted() async throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 1)
        try cluster.createTopic(name: "dead")
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(bootstrapServers: cluster.bootstrapServers, properties: ["message.max.bytes": "20000"]))
        #expect(producer.maxMessageBytes == 20_000)
        let m = Self.dead(key: 30_000, value: 40_000)
        await #expect(throws: KafkaError.self) { try await producer.send([m]) }
        try await producer.send([DeadLetter.fitted(m, maxBytes: producer.maxMessageBytes)])
        await producer.close()
    }

    /// The broker refuses a dead letter as too large (its topic limit is below the producer's): the write
    /// fails, the sink halves what it cuts dead letters to, and the retry gets through.
    @Test func aBrokerRefusalHalvesTheBudget() async throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 1)
        try cluster.createTopic(name: "dead")
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(bootstrapServers: cluster.bootstrapServers))
        let metrics = ServeMetrics()
        let sink = KafkaSink(producer: producer, metrics: metrics)
        var batch = ScoredBatch()
        batch.deadLetterMessages = [Self.dead(key: 2, value: 900_000)]
        try await sink.write(batch)  // fits the producer's limit: sent whole
        #expect(metrics.counter("forewarn_dead_letters_truncated_total") == 0)
        cluster.pushRequestErrors(.produce, [.messageSizeTooLarge])
        await #expect(throws: KafkaError.self) { try await sink.write(batch) }
        #expect(sink.budget.maxBytes == producer.maxMessageBytes / 2)
        try await sink.write(batch)
        #expect(metrics.counter("forewarn_dead_letters_truncated_total") == 1)
        await producer.close()
    }
}
