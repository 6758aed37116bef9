/// How far a consumer is behind in one assigned partition.
public struct KafkaPartitionLag: Hashable, Sendable {
    public var topic: String
    public var partition: Int32
    /// The group's committed offset, nil when nothing was committed yet.
    public var committed: Int64?
    /// The consumer's fetch position (next offset to be returned by poll), nil before the first fetch.
    public var position: Int64?
    /// The partition's low and high watermarks (high = offset of the next message to be written).
    public var low: Int64
    public var high: Int64

    public init(topic: String, partition: Int32, committed: Int64?, position: Int64?, low: Int64, high: Int64) {
        self.topic = topic
        self.partition = partition
        self.committed = committed
        self.position = position
        self.low = low
        self.high = high
    }

    /// Messages written but not yet committed by the group: high − committed (or high − low before a commit).
    public var lag: Int64 { max(0, high - (committed ?? low)) }
}
