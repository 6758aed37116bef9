import Kafka
import Logging
import Synchronization

/// The input partitions librdkafka reset after "offset out of range": data loss when the log start moved
/// past the scorer's position (retention, the embedded cluster's size limit). Counted, logged as errors, and
/// with `on_offset_reset: exit` the first one stops the scorer (exit 8).
final class OffsetResets: Sendable {
    private let seen = Mutex<[KafkaOffsetReset]>([])

    var all: [KafkaOffsetReset] { seen.withLock { $0 } }

    func watch(_ consumer: KafkaConsumer, _ metrics: ServeMetrics, _ logger: Logger, exits: Bool) async {
        for await reset in consumer.offsetResets {
            seen.withLock { $0.append(reset) }
            let labels = "topic=\"\(reset.topic)\",partition=\"\(reset.partition)\""
            metrics.add("forewarn_input_offset_resets_total", labels: labels)
            if let skipped = reset.skipped { metrics.add("forewarn_input_events_skipped_total", Double(skipped), labels: labels) }
            logger.error(
                "input offset reset: events between the old position and the new one were never read (data loss)",
                metadata: [
                    "topic": "\(reset.topic)", "partition": "\(reset.partition)", "from": "\(reset.from.map(String.init) ?? "?")",
                    "to": "\(reset.to)", "skipped": "\(reset.skipped.map(String.init) ?? "unknown")", "reason": "\(reset.reason)", "on_offset_reset": "\(exits ? "exit" : "continue")",
                ])
        }
    }
}
