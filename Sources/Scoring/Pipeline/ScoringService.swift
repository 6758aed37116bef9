import Basics
import EventArchive
import Foundation
import Kafka
import Logging
import ModelRegistry
import ServiceLifecycle

/// The streaming scorer: consume, score every batch with the served models,
/// produce predictions and dead letters, append the raw events to the
/// archive, and commit input offsets only after all of that is durable.
///
/// The poll loop owns the decoders, the models' per-series state and the
/// archive writers; sinks for a batch run in an `InFlightChain` link, so
/// several batches can be in flight while commits stay in order.
public final class ScoringService: Service, Sendable {
    public let config: ServeConfig
    public let metrics: ServeMetrics
    public let bootstrapServers: String
    let logger: Logger
    let watcher: ModelWatcher
    let consumer: KafkaConsumer
    let producer: KafkaProducer
    let sinks: [BatchSink]
    let chain = InFlightChain()
    let committed = CommittedOffsets()
    /// How many batches may wait on their sinks before consumption pauses.
    let maxInFlight: Int

    public init(
        config: ServeConfig, bootstrapServers: String, metrics: ServeMetrics = ServeMetrics(),
        extraSinks: [BatchSink] = [], maxInFlight: Int = 4, logger: Logger = Logger(label: "forewarn.serve")
    ) throws {
        self.config = config
        self.metrics = metrics
        self.bootstrapServers = bootstrapServers
        self.logger = logger
        self.maxInFlight = max(1, maxInFlight)
        watcher = try ModelWatcher(
            registry: Registry(root: config.registry), models: config.models, inputs: config.inputs, archive: config.archive)
        var consumerProperties = config.kafkaConfig
        consumerProperties["enable.auto.commit"] = "false"
        consumerProperties["auto.offset.reset"] = consumerProperties["auto.offset.reset"] ?? "earliest"
        if config.delivery == .exactlyOnce { consumerProperties["isolation.level"] = "read_committed" }
        // librdkafka's mock broker answers an empty fetch only after the full wait, even when data arrives
        // meanwhile; a real broker answers early. So a short wait costs nothing there and saves 500 ms here.
        consumerProperties["fetch.wait.max.ms"] = consumerProperties["fetch.wait.max.ms"] ?? "10"
        consumerProperties["socket.nagle.disable"] = consumerProperties["socket.nagle.disable"] ?? "true"
        consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(
                bootstrapServers: bootstrapServers, groupID: config.group, properties: consumerProperties))
        var producerProperties = config.kafkaConfig
        producerProperties["linger.ms"] = producerProperties["linger.ms"] ?? "5"
        producerProperties["socket.nagle.disable"] = producerProperties["socket.nagle.disable"] ?? "true"
        producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(
                bootstrapServers: bootstrapServers,
                transactionalID: config.delivery == .exactlyOnce ? "forewarn-\(config.group)" : nil,
                properties: producerProperties))
        var sinks: [BatchSink] = [KafkaSink(producer: producer)]
        sinks += extraSinks
        self.sinks = sinks
        for entry in watcher.current.entries {
            metrics.set("forewarn_model_version", Double(entry.model.version), labels: "model=\"\(entry.ref.name)\"")
        }
    }

    public func run() async throws {
        try consumer.subscribe(topics: config.inputs.map(\.topic))
        if config.delivery == .exactlyOnce { try await producer.initTransactions() }
        let watch = Task { [watcher, metrics, logger] in
            await watcher.watch { event in Self.record(event, metrics: metrics, logger: logger, models: watcher.current) }
        }
        let lag = Task { [consumer, metrics, committed] in await Self.reportLag(consumer, committed, metrics) }
        defer {
            watch.cancel()
            lag.cancel()
        }
        logger.info("serving", metadata: ["models": "\(watcher.current.versions)", "brokers": "\(bootstrapServers)"])
        try await cancelWhenGracefulShutdown { try await self.loop() }
    }

    /// Polls and scores until cancelled, then drains, commits and closes.
    private func loop() async throws {
        let scorer = BatchScorer(config: config)
        var archive = try ArchiveSink(config: config)
        let reset = StateReset()
        installRebalanceHandler(reset: reset)
        var paused = false
        do {
            while !Task.isCancelled {
                let batch = try await consumer.poll(
                    maxMessages: config.batchMaxEvents, timeout: .milliseconds(max(1, config.batchMaxWaitMs)))
                if reset.take() { scorer.resetState() }
                if paused, chain.pending < maxInFlight {
                    try consumer.resume(try consumer.assignment())
                    paused = false
                }
                guard !batch.isEmpty else { continue }
                let polledAt = ContinuousClock.now
                let scored = scorer.score(batch, models: watcher.current)
                logger.debug("scored", metadata: ["events": "\(batch.count)", "seconds": "\((ContinuousClock.now - polledAt).inSeconds)", "paused": "\(paused)", "pending": "\(chain.pending)"])
                try archive.append(scored)
                if config.delivery == .exactlyOnce {
                    try await deliverTransactionally(scored, polledAt: polledAt)
                } else {
                    deliver(scored, polledAt: polledAt)
                    // Short waits for the sinks are back-pressure enough; only a sink that stays behind (an
                    // outage, a slow store) pauses fetching, which costs a refetch, and polling goes on
                    // meanwhile so the group keeps this member.
                    if !paused, !(await chain.wait(below: maxInFlight, timeout: .milliseconds(500))) {
                        try consumer.pause(try consumer.assignment())
                        paused = true
                    }
                }
            }
        } catch is CancellationError {
        } catch {
            logger.error("the scorer stops", metadata: ["error": "\(error)"])
            await shutdown(archive: &archive)
            throw error
        }
        await shutdown(archive: &archive)
    }

    /// Hands the batch to every sink in a chain link; the link retries until the sinks succeed, then commits.
    private func deliver(_ scored: ScoredBatch, polledAt: ContinuousClock.Instant) {
        let sinks = self.sinks, metrics = self.metrics, consumer = self.consumer, logger = self.logger
        let committed = self.committed
        chain.append(
            work: {
                let t0 = ContinuousClock.now
                let ok = await Self.writeWithRetry(scored, sinks: sinks, metrics: metrics, logger: logger)
                logger.debug("sinks wrote the batch", metadata: ["events": "\(scored.eventsIn)", "seconds": "\((ContinuousClock.now - t0).inSeconds)"])
                return ok
            },
            commit: { delivered in
                guard delivered else { return }
                do {
                    let t0 = ContinuousClock.now
                    try await consumer.commit(scored.offsets)
                    committed.record(scored.offsets)
                    logger.debug("committed", metadata: ["seconds": "\((ContinuousClock.now - t0).inSeconds)", "since poll": "\((ContinuousClock.now - polledAt).inSeconds)"])
                    Self.account(scored, polledAt: polledAt, metrics: metrics)
                } catch {
                    logger.warning("offset commit failed; the batch will be redelivered", metadata: ["error": "\(error)"])
                }
            })
    }

    /// Exactly-once: the predictions, dead letters and input offsets in one transaction.
    private func deliverTransactionally(_ scored: ScoredBatch, polledAt: ContinuousClock.Instant) async throws {
        var backoff = Duration.milliseconds(50)
        while !Task.isCancelled {
            do {
                try await producer.beginTransaction()
                for sink in sinks { try await sink.write(scored) }
                try await producer.sendOffsetsToTransaction(scored.offsets, consumer: consumer)
                try await producer.commitTransaction()
                committed.record(scored.offsets)
                Self.account(scored, polledAt: polledAt, metrics: metrics)
                return
            } catch {
                metrics.add("forewarn_sink_errors_total")
                logger.warning("transaction failed; aborting and retrying", metadata: ["error": "\(error)"])
                try? await producer.abortTransaction()
                try await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .seconds(5))
            }
        }
    }

    static func writeWithRetry(_ scored: ScoredBatch, sinks: [BatchSink], metrics: ServeMetrics, logger: Logger) async -> Bool {
        var backoff = Duration.milliseconds(50)
        var remaining = sinks
        while !remaining.isEmpty {
            var failed: [BatchSink] = []
            for sink in remaining {
                do { try await sink.write(scored) } catch {
                    metrics.add("forewarn_sink_errors_total", labels: "sink=\"\(sink.name)\"")
                    logger.warning("sink write failed; retrying", metadata: ["sink": "\(sink.name)", "error": "\(error)"])
                    failed.append(sink)
                }
            }
            remaining = failed
            if remaining.isEmpty { break }
            do { try await Task.sleep(for: backoff) } catch { return false }
            backoff = min(backoff * 2, .seconds(5))
        }
        return true
    }

    static func account(_ scored: ScoredBatch, polledAt: ContinuousClock.Instant, metrics: ServeMetrics) {
        metrics.add("forewarn_events_in_total", Double(scored.eventsIn))
        metrics.add("forewarn_predictions_out_total", Double(scored.predictionsOut))
        metrics.add("forewarn_anomalies_total", Double(scored.anomalies))
        metrics.add("forewarn_dead_letters_total", Double(scored.deadLetters))
        metrics.add("forewarn_batches_total")
        metrics.add("forewarn_commits_total")
        metrics.observe("forewarn_batch_seconds", seconds: (ContinuousClock.now - polledAt).inSeconds)
        if let oldest = scored.oldestTimestamp {
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            metrics.observe("forewarn_event_latency_seconds", seconds: Double(max(0, now - oldest)) / 1000, times: scored.eventsIn)
        }
    }
}
