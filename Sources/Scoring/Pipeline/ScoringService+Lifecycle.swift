import Foundation
import Kafka
import Logging

extension ScoringService {
    /// Revocation (on the Kafka poll thread, before the partitions go): wait
    /// for the batches in flight, whose links commit their own offsets, and
    /// drop per-series state; assignment: report readiness.
    func installRebalanceHandler(reset: StateReset) {
        let chain = self.chain, metrics = self.metrics, logger = self.logger
        consumer.onRebalance { event in
            switch event {
            case .assigned(let partitions):
                metrics.set("forewarn_ready", 1)
                logger.info("partitions assigned", metadata: ["partitions": "\(partitions)"])
            case .revoked(let partitions):
                if !chain.drainBlocking(timeout: .seconds(30)) {
                    logger.warning("in-flight batches did not finish before revocation; they will be redelivered")
                }
                reset.request()
                logger.info("partitions revoked", metadata: ["partitions": "\(partitions)"])
            case .lost(let partitions):
                reset.request()
                logger.warning("partitions lost", metadata: ["partitions": "\(partitions)"])
            case .failed(let error):
                logger.error("rebalance failed", metadata: ["error": "\(error)"])
            }
        }
    }

    static func record(_ event: ReloadEvent, metrics: ServeMetrics, logger: Logger, models: ModelSet) {
        switch event {
        case .reloaded(let name, _, let to):
            metrics.add("forewarn_model_reloads_total", labels: "model=\"\(name)\"")
            metrics.set("forewarn_model_version", Double(to), labels: "model=\"\(name)\"")
            logger.info("\(event)")
        case .refused(let refusal):
            metrics.add("forewarn_model_reloads_refused_total", labels: "model=\"\(refusal.name)\"")
            logger.error("\(event)")
        }
    }

    /// Every 2 s, from the consumer's own watermarks and this scorer's commits (no broker requests: a lag
    /// query's round trips would hold up fetches, a latency burst every period).
    static func reportLag(_ consumer: KafkaConsumer, _ committed: CommittedOffsets, _ metrics: ServeMetrics) async {
        while !Task.isCancelled {
            if let lags = try? consumer.cachedLag(committed: committed.snapshot) {
                for l in lags {
                    metrics.set("forewarn_consumer_lag", Double(l.lag), labels: "topic=\"\(l.topic)\",partition=\"\(l.partition)\"")
                }
            }
            try? await Task.sleep(for: .seconds(2))
        }
    }

    /// Lets in-flight batches finish (bounded), closes the sinks (the archive finishes its parts), leaves the
    /// group, flushes the producer.
    func shutdown() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.chain.drain() }
            group.addTask { try? await Task.sleep(for: .seconds(20)) }
            await group.next()
            group.cancelAll()
        }
        await fanOut.closeAll()
        await consumer.close()
        await producer.close()
        metrics.set("forewarn_ready", 0)
        logger.info("stopped")
    }
}
