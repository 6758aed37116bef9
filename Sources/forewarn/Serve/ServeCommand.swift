import ArgumentParser
import Foundation
import Logging
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
            commits and exits (0), within `shutdown_timeout` (default 30s).

            Exit status: 0 after a clean stop; 1 when it cannot start (a bad
            configuration, a model that does not load, a sink it cannot open); 5 when
            Cassandra is unreachable or refuses the session at start, or when
            no Kafka broker was reachable for `broker_loss_exit_after` (default 5m),
            so a supervisor restarts it; 7 when the stop ran out of `shutdown_timeout`
            with consumed offsets not committed (named on stderr; those events are
            scored again after a restart); 8 with `on_offset_reset: exit`, when an
            input partition's offset was reset after "offset out of range" (events
            deleted before they were read are lost).

            Examples:
              forewarn config check Jobs/serve.yaml
              forewarn serve --config Jobs/serve.yaml
              FOREWARN_KAFKA_BROKERS=kafka-1:9092,kafka-2:9092 forewarn serve \\
                  --config Jobs/serve.yaml
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
        var options = ScoringStack.Options()
        options.embeddedPartitions = partitions
        options.stopOverrunExit = .seconds(5)
        options.onEmbeddedCluster = { cluster in
            // Written unbuffered: whoever started us reads this line to find the cluster.
            FileHandle.standardOutput.write(Data("kafka: embedded cluster at \(cluster.bootstrapServers)\n".utf8))
        }
        do {
            let metrics = ServeMetrics()
            metrics.bootstrapSwiftMetrics()
            let stack = try await ScoringStack.assemble(serveConfig, metrics: metrics, logger: logger, options: options)
            let group = ServiceGroup(
                configuration: .init(services: [.init(service: stack)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            try await group.run()
        } catch let stop as ServeStop {
            printError("error: \(stop)")
            throw ExitCode(stop.exitStatus)
        }
    }
}
