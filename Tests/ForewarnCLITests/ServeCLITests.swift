import Foundation
import Kafka
import Testing

/// `forewarn serve` as a process: the whole loop from the archive to predictions on Kafka.
@Suite(.serialized) struct ServeCLITests {
    /// Simulated meters with the last day held back as the live stream; both models trained on the rest.
    struct Setup {
        let dir: TempDir
        let archive: String
        let registry: String
        let live: [String]

        init(days: Int = 5) throws {
            dir = try TempDir()
            archive = dir.path("archive")
            registry = dir.path("Models")
            let sim = try CLIRunner.run([
                "simulate", "--archive", archive, "--stream", "meters", "--series", "4", "--days", "\(days)", "--seed", "11",
            ])
            #expect(sim.status == 0, "\(sim.stderr)")
            let lastDay = String(format: "2026-01-%02d", days)
            let export = try CLIRunner.run([
                "archive", "export", "--archive", archive, "--stream", "meters", "--from", lastDay, "--format", "jsonl",
            ])
            live = export.stdout.split(separator: "\n").map(String.init)
            // The live day leaves the archive: the scorer appends it back as it streams in.
            try FileManager.default.removeItem(atPath: "\(archive)/meters/date=\(lastDay)")
            for (model, extra) in [("isolation-forest", [String]()), ("forecast", ["--param", "period=1d", "--fields", "kwh"])] {
                let train = try CLIRunner.run(
                    ["train", "--archive", archive, "--stream", "meters", "--model", model, "--name", "meters-\(model)",
                     "--registry", registry, "--promote"] + extra)
                #expect(train.status == 0, "\(train.stderr)")
            }
        }

        func config(brokers: String, extra: String = "") throws -> String {
            try dir.write(
                "serve.yaml",
                """
                kafka:
                  brokers: \(brokers)
                  group: scorer
                  config: {heartbeat.interval.ms: "100", session.timeout.ms: "6000"}
                inputs: [{topic: meters, spec: \(archive)/meters/stream.yaml}]
                models: [{name: meters-isolation-forest}, {name: meters-forecast}]
                output: {topic: predictions, dead_letter_topic: dead}
                registry: \(registry)
                archive: \(archive)
                batch: {max_events: 500, max_wait_ms: 10}
                \(extra)
                """)
        }
    }

    static func send(_ lines: ArraySlice<String>, to bootstrap: String) async throws {
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(bootstrapServers: bootstrap, properties: ["message.timeout.ms": "30000"]))
        _ = try await producer.send(lines.map { line in
            let meter = line.split(separator: "\"meter\":\"").last?.prefix { $0 != "\"" } ?? ""
            return KafkaProducerMessage(topic: "meters", key: Array(meter.utf8), value: Array(line.utf8))
        })
        await producer.close()
    }

    static func read(_ topic: String, from bootstrap: String, count: Int) async throws -> [[String: Any]] {
        let consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(
                bootstrapServers: bootstrap, groupID: "reader-\(UUID().uuidString)",
                properties: ["auto.offset.reset": "earliest", "fetch.wait.max.ms": "10"]))
        try consumer.subscribe(topics: [topic])
        var out: [[String: Any]] = []
        for _ in 0..<600 where out.count < count {
            out += try await consumer.poll(maxMessages: 2_000, timeout: .milliseconds(100)).messages.map {
                (try? JSONSerialization.jsonObject(with: Data($0.value))) as? [String: Any] ?? [:]
            }
        }
        await consumer.close()
        return out
    }

    @Test func bothModelsScoreTheLiveDayAndItLandsInTheArchive() async throws {
        let s = try Setup()
        defer { s.dir.cleanup() }
        let check = try CLIRunner.run(["config", "check", try s.config(brokers: "embedded")])
        #expect(check.status == 0, "\(check.stderr)")
        let serve = try BackgroundProcess(["serve", "--config", try s.config(brokers: "embedded")])
        let first = try #require(serve.readLine())
        let bootstrap = String(first.dropFirst("kafka: embedded cluster at ".count))
        try await Self.send(s.live[...], to: bootstrap)
        let predictions = try await Self.read("predictions", from: bootstrap, count: 2 * s.live.count)
        let (status, log) = serve.terminate()
        #expect(status == 0, "SIGTERM drains and exits cleanly: \(log)")

        #expect(predictions.count == 2 * s.live.count)
        let forest = predictions.filter { $0["model"] as? String == "meters-isolation-forest" }
        let forecast = predictions.filter { $0["model"] as? String == "meters-forecast" }
        #expect(forest.count == s.live.count && forecast.count == s.live.count)
        #expect(forest.allSatisfy { $0["forecast"] == nil && $0["version"] as? Int == 1 })
        let withBands = forecast.filter { p in
            guard let lo = p["lower"] as? Double, let f = p["forecast"] as? Double, let hi = p["upper"] as? Double else { return false }
            return lo <= f && f <= hi
        }
        #expect(withBands.count > forecast.count * 9 / 10, "warmed from the archive, the forecaster forecasts almost every event")

        let stats = try CLIRunner.run(["archive", "stats", "--archive", s.archive, "--stream", "meters", "--from", "2026-01-05", "--json"])
        #expect(jsonObject(stats.stdout)["rows"] as? Int == s.live.count, "the live day is archived again, once")
    }

    @Test func aScorerKilledMidStreamLeavesNoEventWithoutAPrediction() async throws {
        let s = try Setup(days: 3)
        defer { s.dir.cleanup() }
        let dev = try BackgroundProcess(["kafka-dev", "--brokers", "1", "--partitions", "4", "--topic", "meters", "--topic", "predictions", "--topic", "dead"])
        let bootstrap = try #require(dev.readLine())
        let config = try s.config(brokers: bootstrap)
        let half = s.live.count / 2
        var serve = try BackgroundProcess(["serve", "--config", config])
        try await Self.send(s.live[..<half], to: bootstrap)
        _ = try await Self.read("predictions", from: bootstrap, count: half)
        try await Self.send(s.live[half...], to: bootstrap)
        serve.kill9()
        serve = try BackgroundProcess(["serve", "--config", config])
        let predictions = try await Self.read("predictions", from: bootstrap, count: 2 * s.live.count)
        #expect(serve.terminate().status == 0)
        _ = dev.terminate()
        var models: [String: Set<String>] = [:]
        for p in predictions { models[p["model"] as? String ?? "", default: []].insert(p["event_id"] as? String ?? "") }
        let ids = Set(s.live.compactMap { line in (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["reading_id"] as? String })
        #expect(ids.count == s.live.count)
        #expect(models["meters-isolation-forest"] == ids && models["meters-forecast"] == ids, "every event has both predictions after the crash")
    }

    /// Issue 15, item 4: `kafka-dev` killed mid-stream. A scorer left without brokers exits 5 by itself after
    /// `broker_loss_exit_after`, and a SIGTERM meanwhile ends within `shutdown_timeout` (exit 0, or 7 with the
    /// offsets it could not commit), instead of hanging in librdkafka for minutes; with transactions too.
    @Test(arguments: [(false, "at-least-once"), (true, "at-least-once"), (true, "exactly-once")])
    func aScorerWhoseBrokersDieStopsInBoundedTime(sigterm: Bool, delivery: String) async throws {
        let s = try Setup(days: 3)
        defer { s.dir.cleanup() }
        let dev = try BackgroundProcess(["kafka-dev", "--brokers", "1", "--partitions", "4", "--topic", "meters", "--topic", "predictions", "--topic", "dead"])
        let bootstrap = try #require(dev.readLine())
        let config = try s.config(brokers: bootstrap, extra: "shutdown_timeout: 2s\nbroker_loss_exit_after: 4s\ndelivery: \(delivery)")
        let serve = try BackgroundProcess(["serve", "--config", config])
        let half = s.live.count / 2
        try await Self.send(s.live[..<half], to: bootstrap)
        _ = try await Self.read("predictions", from: bootstrap, count: half)
        try await Self.send(s.live[half...], to: bootstrap)
        dev.kill9()
        let start = Date()
        if sigterm {
            let (status, log) = serve.terminate(within: 20)
            let took = Date().timeIntervalSince(start)
            #expect(status == 0 || status == 7, "a bounded stop: \(String(describing: status)) after \(took) s: \(log)")
            #expect(took < 12, "shutdown_timeout 2s, a second or so per closing step: \(took) s")
            if status == 7 { #expect(log.contains("not committed"), "\(log)") }
        } else {
            let (status, log) = serve.waitForExit(within: 40)
            #expect(status == 5, "exits for a restart: \(String(describing: status)): \(log)")
            #expect(log.contains("no Kafka broker reachable for"), "\(log)")
        }
    }
}
