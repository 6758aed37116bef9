import ArgumentParser
import Basics
import CQL
import EventArchive
import Foundation
import Kafka
import Logging
import ModelKinds
import ModelRegistry
import Scoring
import Training

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "The whole loop on embedded defaults: archive, train, promote, serve, retrain live, roll back.",
        discussion: """
            1. Simulates two weeks of --series smart meters (with labelled anomalies) into the archive.
            2. Trains an isolation forest and a seasonal forecaster on it and promotes both.
            3. Starts the scorer on librdkafka's embedded Kafka cluster and streams the next day.
            4. Halfway through, retrains the forest and promotes it; the scorer switches live.
            5. Three quarters through, rolls the forest back.
            6. Prints what happened: predictions per version, anomalies found against the injected
               ones, throughput and latency, and where the archive and registry are.

              forewarn demo --dir .demo
            """
    )

    @Option(help: "Where the archive and the registry go (emptied first).")
    var dir = ".demo"

    @Option(help: "Meters to simulate.")
    var series = 50

    @Option(help: "Days of history before the live day.")
    var days = 14

    @Option(help: "Random seed of the simulation.")
    var seed: UInt64 = 7

    @Option(help: "Also write every prediction to this Cassandra (host:port); `cassandra init` runs first.")
    var cassandra: String?

    /// A bar on a terminal, log lines otherwise (`ProgressDisplay`); the demo has no `--json`.
    private let progress = ProgressDisplay(json: false)

    private enum CodingKeys: String, CodingKey {
        case dir, series, days, seed, cassandra
    }

    func run() async throws {
        let root = URL(fileURLWithPath: dir)
        try? FileManager.default.removeItem(at: root)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let archive = root.appendingPathComponent("archive").path, registry = root.appendingPathComponent("Models").path
        let clock = ContinuousClock()
        let began = clock.now
        defer { progress.close() }

        say("1. simulating \(series) meters for \(days) days of history and one live day")
        var config = SimulationConfig(stream: "meters")
        config.series = series
        config.days = days + 1
        config.seed = seed
        config.anomalyRate = 0.002
        let simulator = Simulator(config: config)
        let liveStart = config.start + Int64(days) * 86_400_000
        try StreamCatalog.register(spec: simulator.spec, root: URL(fileURLWithPath: archive))
        let writer = try ArchiveWriter(root: URL(fileURLWithPath: archive), spec: simulator.spec)
        var live = DemoStream()
        var simulated = 0
        progress.start("simulating", total: series * (days + 1) * Int(86_400_000 / config.cadenceMs), unit: .events)
        let anomalies = try simulator.run { batch in
            simulated += batch.time.count
            progress.update(simulated)
            let history = batch.time.indices.filter { batch.time[$0] < liveStart }
            if !history.isEmpty { try writer.append(batch.rows(history)) }
            let today = batch.time.indices.filter { batch.time[$0] >= liveStart }
            if !today.isEmpty { live.add(batch.rows(today), spec: simulator.spec, topic: "meters") }
        }
        try writer.close()
        progress.finish()
        for a in anomalies where a.time >= liveStart { live.labelled[DemoStream.key(a.series, a.time)] = a.kind }
        let dropouts = live.labelled.values.filter { $0 == "dropout" }.count
        say("   \(writer.rowsWritten) events archived; the live day has \(live.messages.count) events, "
            + "\(live.labelled.count - dropouts) of them injected anomalies (plus \(dropouts) dropouts, where readings are missing)")

        say("2. training and promoting both models")
        try train("meters-if", kind: IsolationForestKind(), reason: "demo: first model", archive: archive, registry: registry)
        try train(
            "meters-forecast", kind: SeasonalForecasterKind(), reason: "demo: first forecaster",
            archive: archive, registry: registry)

        say("3. starting the scorer on the embedded Kafka cluster")
        var serveConfig = try ServeConfig.parse(
            yaml: """
                kafka: {brokers: embedded, group: demo}
                inputs: [{topic: meters, spec: \(archive)/meters/stream.yaml}]
                models: [{name: meters-if}, {name: meters-forecast}]
                output: {topic: predictions, dead_letter_topic: dead-letters}
                registry: \(registry)
                archive: \(archive)
                batch: {max_events: 2000, max_wait_ms: 10}
                """, relativeTo: root)
        var logger = Logger(label: "forewarn.demo")
        logger.logLevel = .warning
        let metrics = ServeMetrics()
        if let cassandra {
            let parts = cassandra.split(separator: ":")
            var c = CassandraConfig(contactPoints: [String(parts[0])], port: parts.count > 1 ? Int(parts[1]) : nil)
            c.replication = .init()
            let client = try await CQLClient.connect(hosts: try c.hosts(), options: c.clientOptions())
            for statement in PredictionSchema.statements(keyspace: c.keyspaceName, replication: ["class": "SimpleStrategy", "replication_factor": "1"]) {
                _ = try await client.query(statement)
            }
            await client.close()
            serveConfig.cassandra = c
            say("   predictions also go to Cassandra at \(cassandra), keyspace \(c.keyspaceName)")
        }
        var options = ScoringStack.Options()
        options.embeddedPartitions = 4
        let stack = try await ScoringStack.assemble(serveConfig, metrics: metrics, logger: logger, options: options)
        let serving = Task { try await stack.run() }
        for _ in 0..<1_000 where metrics.gauge("forewarn_ready") != 1 { try await Task.sleep(for: .milliseconds(10)) }

        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(bootstrapServers: stack.bootstrapServers))
        let reader = try PredictionReader(bootstrap: stack.bootstrapServers)
        let quarter = live.messages.count / 4
        let streamStart = clock.now
        say("4. streaming the live day (\(live.messages.count) events)")
        let predictions = live.messages.count * 2
        progress.start("predictions of the live day", total: predictions, unit: ProgressUnit("predictions"))
        _ = try await producer.send(Array(live.messages[..<(2 * quarter)]))
        try await reader.read(until: 2 * quarter * 2, metrics: metrics, progress: progress)

        say("5. retraining the forest mid-stream and promoting it; the scorer switches between batches")
        try train("meters-if", kind: IsolationForestKind(), seed: 99, reason: "demo: retrained mid-stream", archive: archive, registry: registry)
        try await waitForReload(metrics, count: 1)
        _ = try await producer.send(Array(live.messages[(2 * quarter)..<(3 * quarter)]))
        try await reader.read(until: 3 * quarter * 2, metrics: metrics, progress: progress)

        say("6. rolling the forest back")
        _ = try Registry(root: registry).rollback(name: "meters-if", reason: "demo: roll back")
        try await waitForReload(metrics, count: 2)
        _ = try await producer.send(Array(live.messages[(3 * quarter)...]))
        let deadLetters = Int(metrics.counter("forewarn_dead_letters_total"))
        try await reader.read(until: (live.messages.count - deadLetters) * 2, metrics: metrics, progress: progress)
        progress.finish()
        let streamSeconds = (clock.now - streamStart).inSeconds
        serving.cancel()
        try? await serving.value
        await producer.close()
        await reader.close()
        withExtendedLifetime(stack) {}  // the embedded cluster, which the clients above talk to until closed
        summary(reader, live: live, metrics: metrics, streamSeconds: streamSeconds, total: (clock.now - began).inSeconds)
    }

    /// Fits on the whole archive, registers and promotes, and prints it as `forewarn train` does.
    private func train(
        _ name: String, kind: any ModelKind, settings: [String] = [], seed: UInt64? = nil, reason: String, archive: String,
        registry: String
    ) throws {
        var request = TrainingRequest(
            archive: archive, stream: "meters", name: name, kind: kind,
            destination: .registry(Registry(root: registry), promoteTo: "production", reason: reason))
        request.settings = settings
        request.seed = seed
        request.progress = progress
        try TrainingPrinter(json: false).print(try Trainer.train(request), registry: registry, output: nil)
    }

    private func waitForReload(_ metrics: ServeMetrics, count: Double) async throws {
        for _ in 0..<500 where metrics.counter("forewarn_model_reloads_total", labels: "model=\"meters-if\"") < count {
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    private func summary(_ reader: PredictionReader, live: DemoStream, metrics: ServeMetrics, streamSeconds: Double, total: Double) {
        say("\nsummary")
        say("events        \(live.messages.count) streamed, \(Int(metrics.counter("forewarn_events_in_total"))) consumed, "
            + "\(Int(metrics.counter("forewarn_dead_letters_total"))) dead-lettered")
        for (model, versions) in reader.perVersion.sorted(by: { $0.key < $1.key }) {
            let text = versions.sorted { $0.key < $1.key }.map { "v\($0.key): \($0.value)" }.joined(separator: ", ")
            say("predictions   \(model): \(text)")
        }
        let labelled = live.labelled.filter { $0.value != "dropout" }
        for (model, flagged) in reader.flagged.sorted(by: { $0.key < $1.key }) {
            var s = DemoScore(labelled: labelled.count)
            s.flagged = flagged.count
            s.truePositives = flagged.filter { labelled[$0] != nil }.count
            say(String(format: "anomalies     %@: %d flagged, %d of %d injected found: precision %.2f, recall %.2f", model,
                s.flagged, s.truePositives, s.labelled, s.precision, s.recall))
        }
        say(String(format: "throughput    %.0f events/s over the live day (%.1f s, with the retrain and rollback)",
            Double(live.messages.count) / streamSeconds, streamSeconds))
        if let p50 = metrics.quantile("forewarn_batch_seconds", 0.5), let p99 = metrics.quantile("forewarn_batch_seconds", 0.99) {
            say(String(format: "batches       %d, poll to commit p50 <= %.0f ms, p99 <= %.0f ms", Int(metrics.counter("forewarn_batches_total")),
                p50 * 1000, p99 * 1000))
        }
        say("registry      \(dir)/Models (forewarn models list --registry \(dir)/Models)")
        say("archive       \(dir)/archive, now with the live day (forewarn archive stats --archive \(dir)/archive --stream meters)")
        if cassandra != nil {
            say("cassandra     \(Int(metrics.counter("forewarn_cassandra_rows_total"))) rows written, \(Int(metrics.counter("forewarn_cassandra_retries_total"))) retries")
        }
        say(String(format: "total         %.1f s", total))
    }

    private func say(_ line: String) { progress.pause { print(line) } }
}
