import Basics
import Kafka
import Logging

/// At-least-once: each batch becomes a link of the in-flight chain. Its sinks
/// start at once (retried until they succeed), and its offsets are committed
/// after them and after every earlier link, so commits stay in consumption
/// order while several batches are in flight. A crash before a commit
/// replays the batch; the sinks tolerate replays.
struct AtLeastOnceDelivery: BatchDelivery {
    let chain: InFlightChain
    let fanOut: SinkFanOut
    let consumer: KafkaConsumer
    let committed: PartitionOffsets
    let metrics: ServeMetrics
    let logger: Logger

    func prepare() async throws {}

    func deliver(_ scored: ScoredBatch, polledAt: ContinuousClock.Instant) async throws {
        let fanOut = self.fanOut, metrics = self.metrics, consumer = self.consumer, logger = self.logger
        let committed = self.committed
        chain.append(
            work: {
                let t0 = ContinuousClock.now
                let ok = await fanOut.writeUntilDelivered(scored)
                logger.debug("sinks wrote the batch", metadata: ["events": "\(scored.eventsIn)", "seconds": "\((ContinuousClock.now - t0).inSeconds)"])
                return ok
            },
            commit: {
                do {
                    let t0 = ContinuousClock.now
                    try await consumer.commit(scored.offsets)
                    committed.record(scored.offsets)
                    metrics.clear("brokers")
                    logger.debug("committed", metadata: ["seconds": "\((ContinuousClock.now - t0).inSeconds)", "since poll": "\((ContinuousClock.now - polledAt).inSeconds)"])
                    metrics.recordDelivered(scored, polledAt: polledAt)
                } catch {
                    logger.warning("offset commit failed; the batch will be redelivered", metadata: ["error": "\(error)"])
                }
            })
    }
}
