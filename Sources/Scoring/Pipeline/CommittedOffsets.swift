import Kafka
import Synchronization

/// The input offsets this scorer committed last, per partition: the lag
/// metric subtracts them from the high watermarks the consumer already knows,
/// so reporting lag costs no broker round trip.
final class CommittedOffsets: Sendable {
    private let offsets = Mutex<[KafkaTopicPartition: Int64]>([:])

    func record(_ committed: [KafkaPartitionOffset]) {
        offsets.withLock { map in
            for c in committed { map[c.topicPartition] = max(map[c.topicPartition] ?? c.offset, c.offset) }
        }
    }

    var snapshot: [KafkaTopicPartition: Int64] { offsets.withLock { $0 } }
}
