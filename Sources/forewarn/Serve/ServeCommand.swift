import ArgumentParser
import Foundation
import Kafka
import Logging
import NIOPosix
import Scoring
import ServiceLifecycle

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Score events from Kafka live with the production models; follow promotions as they happen.",
        discussion: """
            Consumes the configured input topics in a consumer group, scores every batch
            with the version each model's alias points to, and produces one prediction per
            event and model to the output topic (keyed by series), bad events to the
            dead-letter topic with the reason in the `forewarn-error` header, and (with
            `archive:`) the raw events to the archive. Offsets are committed only once all
            of that is written. A promotion or rollback in the registry is picked up
            within a second, between batches; a version that does not load or does not fit
            the stream is refused and the old one keeps serving.

            With a `cassandra:` section every prediction is also upserted into Cassandra
            (docs/cassandra.md); `forewarn cassandra init` creates the tables first.

            With `brokers: embedded` it starts librdkafka's mock cluster in-process and
            prints its bootstrap address on the first line. SIGTERM or SIGINT drains,
            commits and exits.

            Examples:
              forewarn config check Jobs/serve.yaml
              forewarn serve --config Jobs/serve.yaml
              FOREWARN_KAFKA_BROKERS=kafka-1:9092,kafka-2:9092 forewarn serve --config Jobs/serve.yaml
            """
    )

    @Option(help: "The serve configuration (YAML; docs/configuration.md).")
    var config: String

    @Option(help: "Partitions of each topic the embedded cluster creates.")
    var partitions: Int = 4

    func run() async throws {
        let serveConfig = try ServeConfig.load(path: config)
        var handler = StreamLogHandler.standardError(label: "forewarn.serve")
        handler.logLevel = .info
        let logger = Logger(label: "forewarn.serve", factory: { _ in handler })
        var cluster: EmbeddedKafkaCluster?
        var bootstrap = serveConfig.brokers
        if serveConfig.embedded {
            let embedded = try EmbeddedKafkaCluster(brokers: 1)
            for topic in serveConfig.inputs.map(\.topic) + [serveConfig.outputTopic, serveConfig.deadLetterTopic] {
                try embedded.createTopic(name: topic, partitions: partitions)
            }
            bootstrap = embedded.bootstrapServers
            cluster = embedded
            // Written unbuffered: whoever started us reads this line to find the cluster.
            FileHandle.standardOutput.write(Data("kafka: embedded cluster at \(bootstrap)\n".utf8))
        }
        let metrics = ServeMetrics()
        var sinks: [BatchSink] = []
        if let cassandra = serveConfig.cassandra {
            sinks.append(try await CassandraSink.connect(cassandra, metrics: metrics))
            logger.info("writing predictions to Cassandra at \(cassandra.contactPoints.joined(separator: ","))")
        }
        let service = try ScoringService(
            config: serveConfig, bootstrapServers: bootstrap, metrics: metrics, extraSinks: sinks, logger: logger)
        var server: MetricsServer?
        if let listen = serveConfig.metricsListen {
            let (host, port) = try parseListen(listen)
            server = try await MetricsServer.start(host: host, port: port, metrics: metrics, group: MultiThreadedEventLoopGroup.singleton)
            logger.info("metrics on http://\(host):\(server?.port ?? port)/metrics")
        }
        let group = ServiceGroup(
            configuration: .init(services: [.init(service: service)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        try await server?.close()
        withExtendedLifetime(cluster) {}
    }

    private func parseListen(_ text: String) throws -> (String, Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw ValidationError("metrics listener '\(text)' must be host:port (for example 127.0.0.1:9464)")
        }
        return (String(text[..<colon]), port)
    }
}
