import Foundation
import Kafka
import Logging

extension ScoringService {
    /// Revocation (on the Kafka poll thread, before the partitions go): wait
    /// for the batches in flight, whose links commit their own offsets, and
    /// drop per-series state; readiness follows whether any partition is left.
    func installRebalanceHandler(reset: StateReset) {
        let chain = self.chain, metrics = self.metrics, logger = self.logger, consumed = self.consumed
        // Weak: the consumer keeps this handler (and so what it captures) until it closes.
        consumer.onRebalance { [weak consumer = self.consumer, weak service = self] event in
            /// Raises `partitions` when `leaving` are all this scorer had.
            func noneLeft(after leaving: [KafkaTopicPartition], _ how: String) {
                let remaining = Set((try? consumer?.assignment()) ?? []).subtracting(leaving)
                if remaining.isEmpty { metrics.raise("partitions", "no partitions assigned (\(how))") }
            }
            switch event {
            case .assigned(let partitions):
                metrics.clear("partitions")
                logger.info("partitions assigned", metadata: ["partitions": "\(partitions)"])
            case .revoked(let partitions):
                if !chain.drainBlocking(timeout: service?.stopping.load(ordering: .relaxed) != false ? .zero : .seconds(30)) {
                    logger.warning("in-flight batches did not finish before revocation; they will be redelivered")
                }
                reset.request()
                consumed.forget(partitions)
                noneLeft(after: partitions, "revoked")
                logger.info("partitions revoked", metadata: ["partitions": "\(partitions)"])
            case .lost(let partitions):
                reset.request()
                consumed.forget(partitions)
                noneLeft(after: partitions, "lost")
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

    /// librdkafka's client errors: "all brokers down" raises the `brokers` readiness problem (a commit, a
    /// fetch or a lag query that succeeds clears it); the others are logged, since librdkafka retries them.
    static func watchBrokers(_ consumer: KafkaConsumer, _ metrics: ServeMetrics, _ logger: Logger) async {
        for await error in consumer.errors {
            if error.code == .allBrokersDown {
                metrics.raise("brokers", "no broker reachable: \(error.message)")
                logger.error("no Kafka broker reachable", metadata: ["error": "\(error)"])
            } else {
                logger.debug("kafka client error (librdkafka retries)", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Lets in-flight batches finish, closes the sinks (the archive finishes its parts), leaves the group and
    /// flushes the producer, all within `shutdownTimeout` (each step gets what is left, at least a second);
    /// returns the consumed offsets that were not committed, which it also logs.
    ///
    /// With `stopOverrunExit`, a `StopWatchdog` ends the process with `overrunStatus` if the stop (or what
    /// follows it) is still running `shutdownTimeout + stopOverrunExit` from now.
    @discardableResult
    func shutdown(overrunStatus: Int32, because reason: String) async -> [UncommittedOffsets] {
        stopping.store(true, ordering: .relaxed)
        metrics.raise("stopping", "the scorer is stopping")
        if let grace = stopOverrunExit {
            let bound = config.shutdownTimeout + grace, logger = self.logger
            watchdog.withLock { dog in
                if dog == nil { dog = StopWatchdog(bound: bound, status: overrunStatus, reason: reason, logger: logger) }
            }
        }
        let deadline = ContinuousClock.now + config.shutdownTimeout
        func left() -> Duration { max(.seconds(1), ContinuousClock.now.duration(to: deadline)) }
        if !(await chain.wait(below: 1, timeout: config.shutdownTimeout)) {
            logger.error("in-flight batches did not finish within shutdown_timeout", metadata: ["pending": "\(chain.pending)"])
            chain.cancelAll()
        }
        let uncommitted = UncommittedOffsets.between(consumed: consumed.snapshot, committed: committed.snapshot)
        let fanOut = self.fanOut, consumer = self.consumer, producer = self.producer
        if !(await Bounded.run(within: left()) { await fanOut.closeAll() }) {
            logger.error("the sinks did not close within shutdown_timeout")
        }
        if !(await consumer.close(timeout: left())) {
            logger.error("could not leave the consumer group within shutdown_timeout; the group drops this member after its session timeout")
        }
        await producer.close(timeout: left())
        if uncommitted.isEmpty {
            logger.info("stopped")
        } else {
            logger.error("stopped with offsets not committed; they will be scored again", metadata: ["uncommitted": "\(uncommitted.map(\.description).joined(separator: ", "))"])
        }
        return uncommitted
    }
}
