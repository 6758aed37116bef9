import Kafka

/// Offsets of one partition this scorer consumed (and maybe scored and wrote) but could not commit: the
/// group's next owner of the partition starts again at `committed` (or where the group last committed).
public struct UncommittedOffsets: Sendable, Equatable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32
    /// The next offset this scorer committed, nil when it committed nothing on this partition.
    public var committed: Int64?
    /// The next offset after the last one it consumed.
    public var consumed: Int64

    public var description: String { "\(topic)[\(partition)] offsets \(committed.map(String.init) ?? "(none committed)")..<\(consumed)" }

    /// Every partition of `consumed` whose offset `committed` does not reach, sorted.
    static func between(consumed: [KafkaTopicPartition: Int64], committed: [KafkaTopicPartition: Int64]) -> [UncommittedOffsets] {
        consumed.compactMap { part, next in
            let done = committed[part]
            guard (done ?? -1) < next else { return nil }
            return UncommittedOffsets(topic: part.topic, partition: part.partition, committed: done, consumed: next)
        }.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
    }
}

/// Why `serve` stopped other than cleanly: what `forewarn serve` exits with (docs/operations.md).
public enum ServeStop: Error, Sendable, CustomStringConvertible {
    /// No broker answered for `brokerLossExitAfter`: exit 5 so a supervisor restarts the scorer.
    case brokersLost(for: Duration, uncommitted: [UncommittedOffsets])
    /// The stop did not commit everything consumed within `shutdownTimeout`: exit 7.
    case uncommitted([UncommittedOffsets])
    /// An input partition's offset was reset (events lost) and `on_offset_reset` is `exit`: exit 8.
    case offsetReset([KafkaOffsetReset], uncommitted: [UncommittedOffsets])
    /// The Cassandra sink could not open its session at start (unreachable, or the cluster refused it): exit 5,
    /// as `cassandra init` does, so a supervisor retries; nothing was consumed.
    case cassandraUnavailable(String)

    public var exitStatus: Int32 {
        switch self {
        case .brokersLost: 5
        case .uncommitted: 7
        case .offsetReset: 8
        case .cassandraUnavailable: 5
        }
    }

    public var uncommitted: [UncommittedOffsets] {
        switch self {
        case .brokersLost(_, let u), .uncommitted(let u), .offsetReset(_, let u): u
        case .cassandraUnavailable: []
        }
    }

    public var description: String {
        let left = uncommitted.isEmpty ? "everything consumed was committed" : "not committed (scored again after a restart): \(uncommitted.map(\.description).joined(separator: ", "))"
        switch self {
        case .brokersLost(let lost, _): return "no Kafka broker reachable for \(lost.components.seconds)s; stopping for a restart; \(left)"
        case .uncommitted: return "stopped without committing everything it consumed; \(left)"
        case .offsetReset(let resets, _):
            return "input offsets reset, events lost (on_offset_reset: exit): \(resets.map(\.description).joined(separator: "; ")); \(left)"
        case .cassandraUnavailable(let why): return "Cassandra unavailable at start, nothing consumed: \(why)"
        }
    }
}
