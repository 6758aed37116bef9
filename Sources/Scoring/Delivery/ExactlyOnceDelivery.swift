import Kafka
import Logging

/// Exactly-once: the predictions, the dead letters and the input offsets of a
/// batch go out in one Kafka transaction, one batch at a time. A failed
/// transaction is aborted and retried whole, every sink included (the
/// non-Kafka sinks are idempotent: upserts, and the archive skips a batch
/// it already wrote), until it commits or the scorer is cancelled.
struct ExactlyOnceDelivery: BatchDelivery {
    let producer: KafkaProducer
    let consumer: KafkaConsumer
    let fanOut: SinkFanOut
    let committed: PartitionOffsets
    let metrics: ServeMetrics
    let logger: Logger

    func prepare() async throws { try await producer.initTransactions() }

    /// The most a transaction step may block the producer's poll thread: 1 s once stopping, else 5 s.
    static var step: Duration { Task.isCancelled ? .seconds(1) : .seconds(5) }

    func deliver(_ scored: ScoredBatch, polledAt: ContinuousClock.Instant) async throws {
        var backoff = Duration.milliseconds(50)
        while !Task.isCancelled {
            do {
                try await producer.beginTransaction()
                try await fanOut.writeOnce(scored)
                // Bounded like the abort below: each of these holds the producer's poll thread, which a stop's
                // flush and close queue behind; librdkafka's 30 s without brokers outlasted shutdown_timeout.
                // A commit takes milliseconds with brokers; one that times out is aborted and retried whole.
                try await producer.sendOffsetsToTransaction(scored.offsets, consumer: consumer, timeout: Self.step)
                try await producer.commitTransaction(timeout: Self.step)
                committed.record(scored.offsets)
                metrics.clear("delivery")
                metrics.clear("brokers")
                metrics.recordDelivered(scored, polledAt: polledAt)
                return
            } catch {
                metrics.raise("delivery", "transaction failed: \(error)")
                metrics.add("forewarn_sink_errors_total", labels: "sink=\"kafka\"")
                logger.warning("transaction failed; aborting and retrying", metadata: ["error": "\(error)"])
                // The abort blocks the producer's poll thread, which the stop's flush and close queue behind: once
                // stopping, it gets a second, not librdkafka's usual 30 s, so the stop keeps its shutdown_timeout.
                // An abort that times out is retried by the next turn (begin fails until one lands).
                try? await producer.abortTransaction(timeout: Self.step)
                try await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .seconds(5))
            }
        }
    }
}
