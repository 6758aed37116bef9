import Kafka
import Logging
import Synchronization

/// Predictions and dead letters to Kafka, awaiting every delivery report.
/// The producer belongs to the scorer (it also carries the exactly-once
/// transactions), so closing the sink leaves it open.
///
/// Dead letters are cut to fit the producer's `message.max.bytes`; when the
/// broker still refuses one as too large (a topic limit below the producer's),
/// the write fails and the size dead letters are cut to is halved, so the
/// retry (of the sink, or of the whole transaction) gets through.
struct KafkaSink: BatchSink {
    let producer: KafkaProducer
    let budget: DeadLetterBudget
    let metrics: ServeMetrics
    let logger: Logger
    var name: String { "kafka" }

    init(producer: KafkaProducer, metrics: ServeMetrics, logger: Logger = Logger(label: "forewarn.serve")) {
        self.producer = producer
        budget = DeadLetterBudget(maxBytes: producer.maxMessageBytes)
        self.metrics = metrics
        self.logger = logger
    }

    func write(_ batch: ScoredBatch) async throws {
        let limit = budget.maxBytes
        let deadLetters = batch.deadLetterMessages.map { DeadLetter.fitted($0, maxBytes: limit) }
        for (original, sent) in zip(batch.deadLetterMessages, deadLetters) where sent != original {
            metrics.add("forewarn_dead_letters_truncated_total")
            logger.warning(
                "dead letter cut to fit",
                metadata: [
                    "source": "\(DeadLetter.header(DeadLetter.sourceHeader, of: original) ?? "")",
                    "bytes": "\(original.value.count)", "kept": "\(sent.value.count)", "limit": "\(limit)",
                ])
        }
        async let predictions = producer.send(batch.predictionMessages)
        let deadLetterFailure: Error?
        do {
            _ = try await producer.send(deadLetters)
            deadLetterFailure = nil
        } catch {
            deadLetterFailure = error
        }
        _ = try await predictions
        guard let deadLetterFailure else { return }
        if (deadLetterFailure as? KafkaError)?.code == .messageSizeTooLarge, let smaller = budget.halve(from: limit) {
            logger.warning("the broker refused a dead letter as too large; cutting dead letters to \(smaller) bytes from now on")
        }
        throw deadLetterFailure
    }
}

/// The size dead letters are cut to: the producer's limit at first, halved
/// (down to 4 KiB) each time the broker refuses one as too large.
final class DeadLetterBudget: Sendable {
    static let floor = 4_096
    private let bytes: Mutex<Int>

    init(maxBytes: Int) { bytes = Mutex(max(Self.floor, maxBytes)) }

    var maxBytes: Int { bytes.withLock { $0 } }

    /// Halves the budget if it still is `from` (concurrent writes halve it once); the new size, or nil at the floor.
    func halve(from: Int) -> Int? {
        bytes.withLock { current in
            guard current == from, current > Self.floor else { return nil }
            current = max(Self.floor, current / 2)
            return current
        }
    }
}
