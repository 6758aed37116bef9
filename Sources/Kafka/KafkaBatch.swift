/// The messages one `poll` returned, in the order librdkafka delivered them (per-partition order kept).
public struct KafkaBatch: Sendable {
    public var messages: [KafkaMessage]

    public init(messages: [KafkaMessage]) { self.messages = messages }

    public var count: Int { messages.count }
    public var isEmpty: Bool { messages.isEmpty }

    /// Per partition, the offset after the highest one in the batch: what to commit when the batch is done.
    public var commitOffsets: [KafkaPartitionOffset] {
        var next: [KafkaTopicPartition: Int64] = [:]
        for message in messages {
            let key = KafkaTopicPartition(topic: message.topic, partition: message.partition)
            next[key] = max(next[key] ?? Int64.min, message.offset + 1)
        }
        return next.map { KafkaPartitionOffset(topic: $0.key.topic, partition: $0.key.partition, offset: $0.value) }
            .sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
    }
}
