import Kafka
import Logging
import ModelKinds
import ModelRegistry
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// Everything a `ServeConfig` names, built by one constructor and owned in
/// one place: the embedded Kafka cluster (`brokers: embedded`), the models
/// (`ModelWatcher`), the consumer and producer, the sinks (archive, Kafka,
/// Cassandra, and any extra ones a caller injects), the scoring service, and
/// the metrics HTTP listener.
///
/// `run` runs the service until it is cancelled or shut down gracefully; the
/// service itself then drains the batches in flight and closes the sinks and
/// the Kafka clients (only it knows when nothing is in flight any more), and
/// the stack closes the metrics listener. The embedded cluster lives as long
/// as the stack.
public final class ScoringStack: Service, Sendable {
    public struct Options: Sendable {
        /// Partitions of each topic the embedded cluster creates (inputs, output, dead letters).
        public var embeddedPartitions = 4
        /// How many batches may wait on their sinks before consumption pauses.
        public var maxInFlight = 4
        /// Written after the configured sinks, for every batch (tests inject failing ones here).
        public var extraSinks: [BatchSink] = []
        /// Where the metrics listener runs.
        public var eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
        /// Called as soon as the embedded cluster is up, before the models load (`serve` prints its address).
        public var onEmbeddedCluster: (@Sendable (EmbeddedKafkaCluster) -> Void)?
        /// The model kinds the scorer can load (a test adds its own).
        public var kinds: ModelKinds = .standard
        /// When set, a stop still running `shutdown_timeout` plus this long after it began ends the process
        /// (`StopWatchdog`). Only the process's owner may ask for that: `forewarn serve` does, tests in
        /// process do not.
        public var stopOverrunExit: Duration?

        public init() {}
    }

    public let config: ServeConfig
    public let metrics: ServeMetrics
    /// The in-process cluster, when `brokers: embedded`.
    public let cluster: EmbeddedKafkaCluster?
    /// What the scorer's clients connect to: the configured brokers, or the embedded cluster's.
    public let bootstrapServers: String
    public let service: ScoringService
    /// The metrics listener, when the configuration has `metrics:`.
    public let metricsServer: MetricsServer?
    private let closed = Mutex(false)

    /// Builds the stack, in the order a failure is best reported in: the cluster, the Cassandra
    /// connection, the models, the Kafka clients, the archive, the metrics listener.
    public static func assemble(
        _ config: ServeConfig, metrics: ServeMetrics = ServeMetrics(), logger: Logger = Logger(label: "forewarn.serve"),
        options: Options = Options()
    ) async throws -> ScoringStack {
        var cluster: EmbeddedKafkaCluster?
        var bootstrap = config.brokers
        if config.embedded {
            let embedded = try EmbeddedKafkaCluster(brokers: 1)
            for topic in config.inputs.map(\.topic) + [config.outputTopic, config.deadLetterTopic] {
                try embedded.createTopic(name: topic, partitions: options.embeddedPartitions)
            }
            bootstrap = embedded.bootstrapServers
            cluster = embedded
            options.onEmbeddedCluster?(embedded)
        }
        var opened: [BatchSink] = []
        do {
            var cassandra: CassandraSink?
            if let section = config.cassandra {
                do { cassandra = try await CassandraSink.connect(section, metrics: metrics) } catch {
                    throw ServeStop.cassandraUnavailable("\(section.contactPoints.joined(separator: ",")): \(error)")
                }
                opened += cassandra.map { [$0] } ?? []
                logger.info("writing predictions to Cassandra at \(section.contactPoints.joined(separator: ","))")
            }
            let watcher = try ModelWatcher(
                registry: Registry(root: config.registry, loaders: ModelLoaders(kinds: options.kinds)), models: config.models,
                inputs: config.inputs, archive: config.archive, kinds: options.kinds)
            let consumer = try KafkaConsumer(configuration: KafkaClientSettings.consumer(config, bootstrapServers: bootstrap))
            let producer = try KafkaProducer(configuration: KafkaClientSettings.producer(config, bootstrapServers: bootstrap))
            // The archive first: a batch's predictions appear only once its raw events are in the archive.
            var sinks: [BatchSink] = []
            if let root = config.archive {
                let archive = try ArchiveSink(root: root, specs: config.inputs.map(\.spec), metrics: metrics)
                opened.append(archive)
                sinks.append(archive)
            }
            sinks.append(KafkaSink(producer: producer, metrics: metrics, logger: logger))
            sinks += cassandra.map { [$0] } ?? []
            sinks += options.extraSinks
            let forecasts = config.metricsListen.map { _ in LiveForecasts() }
            let console = config.metricsListen.map { _ in LiveConsole() }
            let service = ScoringService(
                config: config, bootstrapServers: bootstrap, watcher: watcher, consumer: consumer, producer: producer, sinks: sinks,
                metrics: metrics, maxInFlight: options.maxInFlight, logger: logger, forecasts: forecasts, console: console,
                stopOverrunExit: options.stopOverrunExit)
            var server: MetricsServer?
            if let address = config.metricsListen {
                server = try await MetricsServer.start(
                    host: address.host, port: address.port, metrics: metrics, forecasts: forecasts ?? LiveForecasts(), console: console ?? LiveConsole(),
                    group: options.eventLoopGroup)
                logger.info("metrics on http://\(address.host):\(server?.port ?? address.port)/metrics")
            }
            return ScoringStack(
                config: config, metrics: metrics, cluster: cluster, bootstrapServers: bootstrap, service: service, metricsServer: server)
        } catch {
            for sink in opened { try? await sink.close() }
            throw error
        }
    }

    private init(
        config: ServeConfig, metrics: ServeMetrics, cluster: EmbeddedKafkaCluster?, bootstrapServers: String, service: ScoringService,
        metricsServer: MetricsServer?
    ) {
        self.config = config
        self.metrics = metrics
        self.cluster = cluster
        self.bootstrapServers = bootstrapServers
        self.service = service
        self.metricsServer = metricsServer
    }

    /// The sinks every batch goes to, in write order.
    public var sinks: [BatchSink] { service.sinks }

    /// Runs the scorer until cancelled or shut down gracefully, then closes the rest of the stack.
    public func run() async throws {
        do { try await service.run() } catch {
            try? await close()
            throw error
        }
        try await close()
    }

    /// Stops the metrics listener (once; later calls do nothing). The service closes its own clients and sinks when its loop ends.
    public func close() async throws {
        let first = closed.withLock { done in
            defer { done = true }
            return !done
        }
        guard first else { return }
        try await metricsServer?.close()
    }
}
