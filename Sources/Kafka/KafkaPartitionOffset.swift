/// An offset in one partition. What it points at depends on the call: commits take the offset of the next
/// message to read (the last processed offset + 1), as Kafka defines it; `KafkaProducer.send` returns, per
/// message, the offset where the cluster stored it.
public struct KafkaPartitionOffset: Hashable, Sendable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32
    public var offset: Int64

    public init(topic: String, partition: Int32, offset: Int64) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
    }

    public var topicPartition: KafkaTopicPartition { KafkaTopicPartition(topic: topic, partition: partition) }

    public var description: String { "\(topic)[\(partition)]@\(offset)" }
}
