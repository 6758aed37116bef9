import Basics
import Foundation
import Kafka
import Logging
import ServiceLifecycle
import Synchronization

/// The streaming scorer's loop: poll a batch, score it with the served models,
/// number it, hand it to the delivery mode, repeat; on cancellation drain,
/// close the sinks and the clients.
///
/// Built by `ScoringStack.assemble`, which makes the clients, the watcher and
/// the sinks from a `ServeConfig`. The loop owns the decoders and the models'
/// per-series state (in its `BatchScorer`); the sinks of a batch run in an
/// `InFlightChain` link (at-least-once) or a transaction (exactly-once), and
/// `BackPressure` pauses fetching while too many batches are in flight.
public final class ScoringService: Service, Sendable {
    public let config: ServeConfig
    public let metrics: ServeMetrics
    let bootstrapServers: String
    let logger: Logger
    let watcher: ModelWatcher
    let consumer: KafkaConsumer
    let producer: KafkaProducer
    let fanOut: SinkFanOut
    let chain = InFlightChain()
    let committed = PartitionOffsets()
    /// The offsets of every batch handed to delivery, to tell at a stop what was not committed.
    let consumed = PartitionOffsets()
    /// Set when the stop begins: a revocation then no longer waits for in-flight batches (the stop already did, for as long as it may).
    let stopping = Atomic<Bool>(false)
    let activity = FetchActivity()
    let offsetResets = OffsetResets()
    let delivery: any BatchDelivery
    /// How many batches may wait on their sinks before consumption pauses.
    let maxInFlight: Int
    /// The forecasters' latest state, for the listener's `/forecast` (nil without a listener: nothing to publish).
    let forecasts: LiveForecasts?
    let console: LiveConsole?
    /// `ScoringStack.Options.stopOverrunExit`.
    let stopOverrunExit: Duration?
    /// Armed when a stop begins, with `stopOverrunExit`.
    let watchdog = Mutex<StopWatchdog?>(nil)

    init(
        config: ServeConfig, bootstrapServers: String, watcher: ModelWatcher, consumer: KafkaConsumer, producer: KafkaProducer,
        sinks: [BatchSink], metrics: ServeMetrics, maxInFlight: Int, logger: Logger, forecasts: LiveForecasts? = nil,
        console: LiveConsole? = nil,
        stopOverrunExit: Duration? = nil
    ) {
        self.stopOverrunExit = stopOverrunExit
        self.forecasts = forecasts
        self.console = console
        self.config = config
        self.metrics = metrics
        self.bootstrapServers = bootstrapServers
        self.logger = logger
        self.maxInFlight = max(1, maxInFlight)
        self.watcher = watcher
        self.consumer = consumer
        self.producer = producer
        let fanOut = SinkFanOut(sinks: sinks, metrics: metrics, logger: logger)
        self.fanOut = fanOut
        switch config.delivery {
        case .atLeastOnce:
            delivery = AtLeastOnceDelivery(
                chain: chain, fanOut: fanOut, consumer: consumer, committed: committed, metrics: metrics, logger: logger)
        case .exactlyOnce:
            delivery = ExactlyOnceDelivery(
                producer: producer, consumer: consumer, fanOut: fanOut, committed: committed, metrics: metrics, logger: logger)
        }
        for entry in watcher.current.entries {
            metrics.set("forewarn_model_version", Double(entry.model.version), labels: "model=\"\(entry.ref.name)\"")
        }
    }

    /// The sinks every batch goes to, in the order they are written.
    public var sinks: [BatchSink] { fanOut.sinks }

    public func run() async throws {
        metrics.raise("partitions", "no partitions assigned yet")
        try consumer.subscribe(topics: config.inputs.map(\.topic))
        try await delivery.prepare()
        let watch = Task { [watcher, metrics, logger] in
            await watcher.watch { event in Self.record(event, metrics: metrics, logger: logger, models: watcher.current) }
        }
        let lag = Task { [consumer, metrics, committed, activity] in
            await LagReporter(consumer: consumer, committed: committed, activity: activity, metrics: metrics).run()
        }
        let brokers = Task { [consumer, metrics, logger] in await Self.watchBrokers(consumer, metrics, logger) }
        let reporter = ServingReporter(watcher: watcher, metrics: metrics, logger: logger)
        let serving = Task { await reporter.run() }
        let resets = Task { [consumer, metrics, logger, offsetResets, config] in
            await offsetResets.watch(consumer, metrics, logger, exits: config.onOffsetReset == .exit)
        }
        defer {
            watch.cancel()
            lag.cancel()
            brokers.cancel()
            resets.cancel()
            serving.cancel()
        }
        logger.info("serving", metadata: ["models": "\(watcher.current.versions)", "brokers": "\(bootstrapServers)"])
        // The reporter stops before its records go, so none is written back after a clean stop.
        func forgetServing() async {
            serving.cancel()
            await serving.value
            reporter.remove()
        }
        do { try await cancelWhenGracefulShutdown { try await self.loop() } } catch {
            await forgetServing()
            throw error
        }
        await forgetServing()
    }

    /// Polls and scores until cancelled, then drains, commits and closes. Throws `ServeStop` when the
    /// brokers stayed unreachable for `brokerLossExitAfter`, when an input offset was reset under
    /// `on_offset_reset: exit`, or when the stop left consumed offsets uncommitted.
    private func loop() async throws {
        let scorer = BatchScorer(config: config, live: forecasts, console: console)
        let reset = StateReset()
        installRebalanceHandler(reset: reset)
        var pressure = BackPressure(consumer: consumer, chain: chain, limit: maxInFlight)
        var sequence = 0
        var lostFor: Duration?
        var offsetsReset: [KafkaOffsetReset] = []
        do {
            while !Task.isCancelled {
                if let lost = metrics.failingFor("brokers"), lost >= config.brokerLossExitAfter {
                    logger.error("no Kafka broker reachable for longer than broker_loss_exit_after; stopping for a restart",
                        metadata: ["for": "\(lost.components.seconds)s"])
                    lostFor = lost
                    break
                }
                if config.onOffsetReset == .exit, case let resets = offsetResets.all, !resets.isEmpty {
                    logger.error("stopping: an input offset was reset and on_offset_reset is exit")
                    offsetsReset = resets
                    break
                }
                let batch = try await consumer.poll(
                    maxMessages: config.batchMaxEvents, timeout: .milliseconds(max(1, config.batchMaxWaitMs)))
                if reset.take() { scorer.resetState() }
                try pressure.resumeIfCaughtUp()
                guard !batch.isEmpty else { continue }
                activity.record()
                metrics.clear("brokers")
                let polledAt = ContinuousClock.now
                var scored = scorer.score(batch, models: watcher.current)
                for problem in scored.warmUpProblems {
                    logger.warning("warm-up skipped what it could not read; the state warmed on the rest", metadata: ["problem": "\(problem)"])
                    metrics.add("forewarn_warmup_problems_total")
                }
                scored.sequence = sequence
                consumed.record(scored.offsets)
                sequence += 1
                logger.debug("scored", metadata: ["events": "\(batch.count)", "seconds": "\((ContinuousClock.now - polledAt).inSeconds)", "paused": "\(pressure.paused)", "pending": "\(chain.pending)"])
                // Exactly-once delivers in this loop: a stop gives it shutdown_timeout, not the minutes a send may wait on lost brokers.
                let delivery = self.delivery
                let batchOut = scored
                try await Bounded.run(afterCancellation: config.shutdownTimeout) { try await delivery.deliver(batchOut, polledAt: polledAt) }
                try await pressure.throttle()
            }
        } catch is CancellationError {
        } catch {
            logger.error("the scorer stops", metadata: ["error": "\(error)"])
            await shutdown(overrunStatus: 1, because: "\(error)")
            throw error
        }
        // What the stop would end with if it overran: its cause's status, as if nothing were committed.
        let cause: (ServeStop, String) =
            !offsetsReset.isEmpty ? (.offsetReset(offsetsReset, uncommitted: []), "an input offset was reset")
            : lostFor.map { (.brokersLost(for: $0, uncommitted: []), "no broker reachable") } ?? (.uncommitted([]), "asked to stop")
        let uncommitted = await shutdown(overrunStatus: cause.0.exitStatus, because: cause.1)
        let stop: ServeStop? =
            !offsetsReset.isEmpty ? .offsetReset(offsetsReset, uncommitted: uncommitted)
            : lostFor.map { .brokersLost(for: $0, uncommitted: uncommitted) }
            ?? (uncommitted.isEmpty ? nil : .uncommitted(uncommitted))
        // Stopped; a hang from here on (tearing down clients) ends with the status this stop earned.
        watchdog.withLock { $0?.update(status: stop?.exitStatus ?? 0, reason: stop.map { "\($0)" } ?? "stopped") }
        if let stop { throw stop }
    }
}
