/// A consumed message, copied out of librdkafka's buffers.
public struct KafkaConsumerMessage: Hashable, Sendable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    public var key: [UInt8]?
    public var value: [UInt8]
    /// Milliseconds since the epoch (create or log-append time), nil when the broker sent none.
    public var timestamp: Int64?
    public var headers: [KafkaHeader]

    public init(
        topic: String, partition: Int32, offset: Int64, key: [UInt8]?, value: [UInt8], timestamp: Int64?,
        headers: [KafkaHeader]
    ) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.timestamp = timestamp
        self.headers = headers
    }

    /// The offset to commit once this message is processed: the next one to read.
    public var nextOffset: KafkaPartitionOffset {
        KafkaPartitionOffset(topic: topic, partition: partition, offset: offset + 1)
    }
}
