import Foundation
import Kafka

/// Shared set-up for the tests against the embedded cluster.
enum KafkaTestSupport {
    static func unique(_ prefix: String) -> String { "\(prefix)-\(UUID().uuidString.prefix(8))" }

    /// A fresh cluster with one fresh topic, replicated on up to three brokers.
    static func cluster(brokers: Int, topic prefix: String, partitions: Int) throws -> (EmbeddedKafkaCluster, String) {
        let cluster = try EmbeddedKafkaCluster(brokers: brokers)
        let topic = unique(prefix)
        try cluster.createTopic(name: topic, partitions: partitions, replicationFactor: min(3, brokers))
        return (cluster, topic)
    }

    /// A fresh cluster with one fresh topic already holding `count` messages from `messages(...)`.
    static func filledTopic(brokers: Int = 1, topic prefix: String, partitions: Int, count: Int) async throws
        -> (EmbeddedKafkaCluster, String)
    {
        let (cluster, topic) = try cluster(brokers: brokers, topic: prefix, partitions: partitions)
        let producer = try producer(cluster)
        try await producer.send(messages(topic: topic, count: count))
        await producer.close()
        return (cluster, topic)
    }

    /// A consumer in `group`, subscribed to `topic`.
    static func subscribed(_ cluster: EmbeddedKafkaCluster, group: String, topic: String) throws -> KafkaConsumer {
        let consumer = try consumer(cluster, group: group)
        try consumer.subscribe(topics: [topic])
        return consumer
    }

    /// Consumer settings that make group joins and rebalances quick on the mock cluster.
    static func consumer(
        _ cluster: EmbeddedKafkaCluster, group: String, properties: [String: String] = [:]
    ) throws -> KafkaConsumer {
        let fast = ["heartbeat.interval.ms": "100", "session.timeout.ms": "6000", "topic.metadata.refresh.interval.ms": "500"]
        return try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(
                bootstrapServers: cluster.bootstrapServers, groupID: group,
                properties: fast.merging(properties) { $1 }))
    }

    static func producer(
        _ cluster: EmbeddedKafkaCluster, transactionalID: String? = nil, properties: [String: String] = [:]
    ) throws -> KafkaProducer {
        try KafkaProducer(
            configuration: KafkaProducerConfiguration(
                bootstrapServers: cluster.bootstrapServers, transactionalID: transactionalID,
                properties: ["reconnect.backoff.max.ms": "200"].merging(properties) { $1 }))
    }

    /// `count` messages keyed over `keys` series, value "i", header "seq" = i.
    static func messages(topic: String, count: Int, keys: Int = 5, from start: Int = 0) -> [KafkaProducerMessage] {
        (start..<(start + count)).map { index in
            KafkaProducerMessage(
                topic: topic, key: Array("series-\(index % keys)".utf8), value: Array("\(index)".utf8),
                headers: [KafkaHeader(name: "seq", string: "\(index)"), KafkaHeader(name: "empty", value: nil)])
        }
    }

    /// Polls until `count` messages arrived (committing nothing), or `maxPolls` polls came back short.
    /// The bound only keeps a broken test from hanging; the assertions are on what arrived.
    static func consume(
        _ consumer: KafkaConsumer, count: Int, maxPolls: Int = 300, batch: Int = 500
    ) async throws -> [KafkaConsumerMessage] {
        var received: [KafkaConsumerMessage] = []
        var polls = 0
        while received.count < count && polls < maxPolls {
            received += try await consumer.poll(maxMessages: min(batch, count - received.count)).messages
            polls += 1
        }
        return received
    }

    /// Polls until the consumer has an assignment of `partitions` partitions; returns what those polls read.
    /// The mock's group coordinator now and then takes over 15 s to settle a join that follows a member's
    /// close, so this allows a minute (it returns as soon as the assignment is there).
    @discardableResult
    static func awaitAssignment(_ consumer: KafkaConsumer, partitions: Int, maxPolls: Int = 1200) async throws
        -> [KafkaConsumerMessage]
    {
        var polls = 0
        var received: [KafkaConsumerMessage] = []
        while try consumer.assignment().count != partitions && polls < maxPolls {
            received += try await consumer.poll(maxMessages: 100, timeout: .milliseconds(50)).messages
            polls += 1
        }
        return received
    }

    static func text(_ bytes: [UInt8]?) -> String { bytes.map { String(decoding: $0, as: UTF8.self) } ?? "<nil>" }

    static func index(_ message: KafkaConsumerMessage) -> Int { Int(text(message.value)) ?? -1 }
}

/// Values collected from another thread (the poll thread's rebalance handler).
final class Collected<Value: Sendable>: Sendable {
    private let lock = NSLock()
    // Only touched under `lock`; `nonisolated(unsafe)` because NSLock is not visible to the checker.
    nonisolated(unsafe) private var values: [Value] = []
    func append(_ value: Value) { lock.lock(); values.append(value); lock.unlock() }
    var all: [Value] { lock.lock(); defer { lock.unlock() }; return values }
}
