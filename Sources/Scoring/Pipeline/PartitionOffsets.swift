import Kafka
import Synchronization

/// The highest offset recorded per partition: the scorer keeps one for what it committed (the lag metric
/// subtracts it from the high watermarks, so reporting lag costs no broker round trip while fetching) and
/// one for what it handed to delivery (so a stop can say what it could not commit).
final class PartitionOffsets: Sendable {
    private let offsets = Mutex<[KafkaTopicPartition: Int64]>([:])

    func record(_ recorded: [KafkaPartitionOffset]) {
        offsets.withLock { map in
            for c in recorded { map[c.topicPartition] = max(map[c.topicPartition] ?? c.offset, c.offset) }
        }
    }

    /// Drops partitions this scorer no longer owns (revoked or lost).
    func forget(_ partitions: [KafkaTopicPartition]) {
        offsets.withLock { map in for p in partitions { map.removeValue(forKey: p) } }
    }

    var snapshot: [KafkaTopicPartition: Int64] { offsets.withLock { $0 } }
}
