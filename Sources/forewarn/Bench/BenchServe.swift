import AnomalyModels
import ArgumentParser
import Foundation
import Kafka
import Logging
import ModelKinds
import ModelRegistry
import Scoring
import Training
import Synchronization
import EventArchive
import CQLTestNode

struct BenchServe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Producer, embedded Kafka cluster and scorer on this machine: sustained events/s and latency.",
        discussion: """
            Fits an isolation forest (with its default context features, as `train`
            fits it) and a seasonal forecaster on simulated meter readings (1,000
            meters), registers both, starts the embedded cluster (one broker,
            --partitions partitions) and the real scoring service, waits for one
            primed event's predictions, then produces --events JSON events at --rate
            events/s (0: as fast as possible) while a reader consumes the predictions
            (two per event). Throughput is events predicted by both models per second
            of wall time; latency is per prediction, from the event's production (its
            payload's time) to the prediction's Kafka timestamp, leaving out events of
            the first --warmup seconds. --timeline writes latency per 100 ms of
            production time, to tell a steady tail from bursts.

            The full loop: --archive DIR turns the archive sink on, --cassandra
            writes predictions to the in-memory CQL test node too. --scorer-process
            runs the scorer as a child `forewarn serve` and reports the CPU its
            threads spent per million events, by thread group (from /proc), apart
            from this process's cluster, test node, producer and reader: a figure
            that compares across hosts.

              swift build -c release && .build/release/forewarn bench serve \\
                  --events 2000000 --rate 200000
              .build/release/forewarn bench serve --events 2000000 --rate 200000 \\
                  --scorer-process --archive /tmp/bench-archive --cassandra
            """
    )

    @Option(help: "Events to send.")
    var events: Int = 1_000_000

    @Option(help: "Events per second to send at (0: as fast as possible).")
    var rate: Int = 200_000

    @Option(help: "Partitions of the input and prediction topics.")
    var partitions: Int = 8

    @Option(help: "Largest batch the scorer takes per poll.")
    var batch: Int = 10_000

    @Option(help: "Seconds at the start whose events count for throughput but not for latency (the consumer's first fetches).")
    var warmup: Double = 2

    @Option(help: "Also write per-100-ms latency (events, p50, p99, max by production time) as CSV to this file.")
    var timeline: String?

    @Flag(help: "Show the scorer's log on stderr.")
    var verbose = false

    @Option(help: ArgumentHelp("Also archive every event under DIR: the archive sink on, as Jobs/serve.yaml has it.", valueName: "dir"))
    var archive: String?

    @Flag(help: "Also write every prediction to Cassandra: the in-memory CQL test node, in this process.")
    var cassandra = false

    @Flag(help: "Run the scorer as a child `forewarn serve` (cluster, test node, producer and reader stay here) and report its CPU per million events, thread by thread.")
    var scorerProcess = false

    @Flag(help: "Turn the scorer's HTTP listener on (loopback), and with it the console, with nobody watching.")
    var console = false

    @Option(help: ArgumentHelp("Also follow this series of the forecaster (m0 ... m999) on the console for the whole run, as an open page does.", valueName: "series"))
    var consoleFollow: String?

    @Flag(help: "Print JSON instead of text.")
    var json = false

    /// The serve configuration's text: the bench's stream and models, and the sinks asked for.
    private func configText(brokers: String, registry: String, node: TestNode?, consolePort: Int?) -> String {
        var yaml = """
            kafka: {brokers: "\(brokers)", group: bench}
            inputs: [{topic: meters, spec: meters.yaml}]
            models: [{name: meters-if}, {name: meters-fc}]
            output: {topic: predictions, dead_letter_topic: dead}
            registry: \(registry)
            batch: {max_events: \(batch), max_wait_ms: 2}
            """
        if let archive { yaml += "\narchive: \(URL(fileURLWithPath: archive).standardizedFileURL.path)" }
        if let node { yaml += "\ncassandra: {contact_points: [\"127.0.0.1\"], port: \(node.port), keyspace: \(Self.keyspace)}" }
        if let consolePort { yaml += "\nmetrics: 127.0.0.1:\(consolePort)" }
        return yaml + "\n"
    }

    static let keyspace = "forewarn_bench"

    func run() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("forewarn-bench-serve-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let registry = Registry(root: dir.appendingPathComponent("Models").path)
        try Self.registerModel(in: registry, dir: dir)
        try "stream: meters\nkey: meter\ntime: ts\nfields: [kwh, voltage]\nid: reading_id\n"
            .write(to: dir.appendingPathComponent("meters.yaml"), atomically: true, encoding: .utf8)
        var node: TestNode?
        if cassandra {
            node = try await TestNode.start(
                schema: PredictionSchema.statements(keyspace: Self.keyspace, replication: ["class": "SimpleStrategy", "replication_factor": "1"]))
        }
        var quiet = Logger(label: "bench")
        quiet.logLevel = verbose ? .debug : .warning
        let metrics = ServeMetrics()
        let consolePort = console || consoleFollow != nil ? try ConsoleFollower.freePort() : nil
        // In-process: the stack embeds the cluster. A scorer of its own: the cluster stays here, with the bench's clients.
        var stack: ScoringStack?, serving: Task<Void, Error>?, cluster: EmbeddedKafkaCluster?, scorer: ScorerProcess?
        if scorerProcess {
            let embedded = try EmbeddedKafkaCluster(brokers: 1)
            for topic in ["meters", "predictions", "dead"] { try embedded.createTopic(name: topic, partitions: partitions) }
            cluster = embedded
            let path = dir.appendingPathComponent("serve.yaml")
            try configText(brokers: embedded.bootstrapServers, registry: registry.root, node: node, consolePort: consolePort).write(to: path, atomically: true, encoding: .utf8)
            scorer = try ScorerProcess.start(config: path.path, log: dir.appendingPathComponent("serve.log"))
        } else {
            let config = try ServeConfig.parse(yaml: configText(brokers: "embedded", registry: registry.root, node: node, consolePort: consolePort), relativeTo: dir)
            var options = ScoringStack.Options()
            // The embedded cluster's topics (meters, predictions, and the dead letters, which get none here).
            options.embeddedPartitions = partitions
            let assembled = try await ScoringStack.assemble(config, metrics: metrics, logger: quiet, options: options)
            stack = assembled
            serving = Task { try await assembled.run() }
        }
        let bootstrapServers = cluster?.bootstrapServers ?? stack?.bootstrapServers ?? ""
        let reader = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(
                bootstrapServers: bootstrapServers, groupID: "bench-reader",
                properties: ["auto.offset.reset": "earliest", "enable.auto.commit": "false", "fetch.wait.max.ms": "10", "socket.nagle.disable": "true"]))
        try reader.subscribe(topics: ["predictions"])
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(
                bootstrapServers: bootstrapServers, properties: ["linger.ms": "1", "batch.num.messages": "10000", "socket.nagle.disable": "true"]))
        // The mock group waits about three seconds for more members before its first assignment.
        for _ in 0..<1_000 where stack != nil && metrics.gauge("forewarn_ready") != 1 { try await Task.sleep(for: .milliseconds(10)) }
        do { try await Self.prime(producer, reader: reader, predictions: Self.modelsServed) } catch {
            if let scorer {
                _ = scorer.stop()
                printError((try? String(contentsOf: dir.appendingPathComponent("serve.log"), encoding: .utf8)) ?? "")
            }
            throw error
        }
        let follower = try consoleFollow.map { try ConsoleFollower(port: consolePort!, model: "meters-fc", series: $0) }
        defer { follower?.stop() }
        let cpuBefore = scorer.map { ThreadCPU.sample(pid: $0.pid) }
        let ownBefore = ThreadCPU.ownProcessSeconds()
        let start = Date()
        let predicted = Atomic<Int>(0)
        let sending = Task { try await Self.produce(producer, events: events, rate: rate, predicted: predicted) }
        var latencies: [Double] = []
        latencies.reserveCapacity(events)
        var samples: [(produced: Int64, latency: Double)] = []
        var received = 0
        let perEvent = Self.modelsServed
        let steady = Int64((start.timeIntervalSince1970 + warmup) * 1000)
        var idle = 0
        var promotedAt: Int64?, switchedAt: Int64?
        let version2 = Array("\"version\":2,".utf8)
        let progress = ProgressDisplay(json: json)
        defer { progress.close() }
        progress.start("scoring \(events) events", total: events, unit: .events)
        while received < events * perEvent, idle < 100 {
            let got = try await reader.poll(maxMessages: 20_000, timeout: .milliseconds(100))
            idle = got.isEmpty ? idle + 1 : 0
            for i in 0..<got.count {
                let stamp = got.timestamp(at: i)
                got.withValue(at: i) { value in
                    let (produced, latency) = Self.latency(value, timestamp: stamp)
                    if produced >= steady { latencies.append(latency) }
                    if timeline != nil { samples.append((produced, latency)) }
                    if promotedAt != nil, switchedAt == nil, let stamp, Self.firstIndex(of: version2, in: value) != nil {
                        switchedAt = stamp
                    }
                }
            }
            if promotedAt == nil, received >= events * perEvent / 2 {
                try registry.promote(name: "meters-if", version: 2, reason: "bench: time the switch")
                promotedAt = Int64(Date().timeIntervalSince1970 * 1000)
            }
            received += got.count
            predicted.store(received / perEvent, ordering: .relaxed)
            progress.update(received / perEvent)
        }
        progress.finish()
        let seconds = Date().timeIntervalSince(start)
        let cpu = CPUFigures(
            scorer: scorer.flatMap { s in cpuBefore.map { ThreadCPU.sample(pid: s.pid).since($0) } },
            ownSeconds: ThreadCPU.ownProcessSeconds() - ownBefore)
        try await sending.value
        serving?.cancel()
        try? await serving?.value
        let stopped = scorer?.stop()
        await reader.close()
        await producer.close()
        await node?.stop()
        withExtendedLifetime((stack, cluster)) {}  // the embedded cluster, which the clients above talk to until closed
        if scorer != nil, stopped != 0 { printError("warning: the scorer process exited with \(stopped.map(String.init) ?? "a kill")") }
        if let timeline { try Self.writeTimeline(samples, to: timeline) }
        let switchMs = promotedAt.flatMap { p in switchedAt.map { Double($0 - p) } }
        try report(
            predicted: received / perEvent, seconds: seconds, latencies: latencies.sorted(), metrics: scorer == nil ? metrics : nil,
            switchMs: switchMs, cpu: cpu)
    }

    /// CPU spent while the events were produced and scored.
    struct CPUFigures {
        /// The scorer process's threads, by group, when it runs in its own process.
        var scorer: [(group: String, threads: Int, seconds: Double)]?
        /// This process: everything in-process, or the bench side (cluster, test node, producer, reader).
        var ownSeconds: Double
    }

    private func report(
        predicted: Int, seconds: Double, latencies: [Double], metrics: ServeMetrics?, switchMs: Double?, cpu: CPUFigures
    ) throws {
        let perMillion = predicted > 0 ? 1e6 / Double(predicted) : .nan
        let scorerSeconds = cpu.scorer.map { $0.reduce(0) { $0 + $1.seconds } }
        let metrics = metrics ?? ServeMetrics()
        let batches = metrics.counter("forewarn_batches_total")
        let meanBatch = batches > 0 ? metrics.counter("forewarn_events_in_total") / batches : 0
        func q(_ p: Double) -> Double { latencies.isEmpty ? .nan : latencies[min(latencies.count - 1, Int(p * Double(latencies.count)))] }
        let rows: [String: Any] = [
            "events": events, "predicted": predicted, "rate_target": rate, "seconds": seconds,
            "events_per_s": Double(predicted) / seconds, "latency_p50_ms": q(0.5), "latency_p99_ms": q(0.99),
            "latency_max_ms": latencies.last ?? .nan, "partitions": partitions, "batches": batches,
            "mean_batch_events": meanBatch, "promote_to_first_prediction_ms": switchMs ?? .nan, "batch_seconds_p50": metrics.quantile("forewarn_batch_seconds", 0.5) ?? .nan,
            "archive": archive != nil, "cassandra": cassandra, "scorer_process": scorerProcess,
            (scorerProcess ? "bench_cpu_seconds" : "process_cpu_seconds"): cpu.ownSeconds,
            (scorerProcess ? "bench_cpu_s_per_million_events" : "process_cpu_s_per_million_events"): cpu.ownSeconds * perMillion,
        ].merging(scorerSeconds.map { total in
            [
                "scorer_cpu_seconds": total, "scorer_cpu_s_per_million_events": total * perMillion,
                "scorer_threads": (cpu.scorer ?? []).map { ["group": $0.group, "threads": $0.threads, "cpu_seconds": $0.seconds] as [String: Any] },
            ]
        } ?? [:]) { a, _ in a }
        // JSON has no NaN: a figure this run could not measure is null.
        if json { return try printJSON(rows.mapValues { ($0 as? Double)?.isNaN == true ? NSNull() : $0 }) }
        print("events     \(predicted) of \(events) predicted in \(String(format: "%.2f", seconds)) s (target rate \(rate == 0 ? "unbounded" : "\(rate)/s"))")
        print(String(format: "throughput %.0f events/s", Double(predicted) / seconds))
        if !scorerProcess {  // the scorer's own metrics live in its process otherwise
            print(String(format: "batches    %.0f, %.0f events each on average, p50 poll-to-commit %.3f s", batches, meanBatch,
                metrics.quantile("forewarn_batch_seconds", 0.5) ?? .nan))
            print(String(format: "scorer     event timestamp to commit: p50 <= %.3f s, p99 <= %.3f s (histogram bounds)",
                metrics.quantile("forewarn_event_latency_seconds", 0.5) ?? .nan, metrics.quantile("forewarn_event_latency_seconds", 0.99) ?? .nan))
        }
        if let switchMs { print(String(format: "promotion  %.0f ms from promoting v2 to its first prediction on Kafka", switchMs)) }
        print(String(format: "latency    p50 %.1f ms, p99 %.1f ms, max %.1f ms (event produced -> prediction on Kafka, after %.0f s warm-up)", q(0.5), q(0.99), latencies.last ?? .nan, warmup))
        if let scorerSeconds, let groups = cpu.scorer {
            print(String(format: "cpu        scorer %.2f s (%.2f s per million events); bench side %.2f s", scorerSeconds, scorerSeconds * perMillion, cpu.ownSeconds))
            for g in groups where g.seconds >= 0.01 {
                let name = g.group.padding(toLength: max(32, g.group.count), withPad: " ", startingAt: 0)
                print("             " + name + String(format: " %3d thread%@ %7.2f s", g.threads, g.threads == 1 ? " " : "s", g.seconds))
            }
        } else {
            print(String(format: "cpu        %.2f s in this process, scorer and bench together (%.2f s per million events)", cpu.ownSeconds, cpu.ownSeconds * perMillion))
        }
    }

    /// Sends `events` readings of 1,000 meters in chunks of 1/100 s of the rate, without waiting for one
    /// chunk's delivery reports before sending the next (up to 64 chunks outstanding), and never more than
    /// `window` events ahead of the predictions read: the mock broker keeps only a bounded log per
    /// partition, and a producer far ahead would see its oldest events dropped before they are scored.
    static func produce(_ producer: KafkaProducer, events: Int, rate: Int, predicted: borrowing Atomic<Int>, window: Int = 100_000)
        async throws
    {
        let chunk = rate > 0 ? max(100, rate / 100) : 10_000
        let clock = ContinuousClock()
        let begin = clock.now
        var sent = 0
        var outstanding: [Task<Void, Error>] = []
        while sent < events {
            while sent - predicted.load(ordering: .relaxed) > window { try await Task.sleep(for: .milliseconds(1)) }
            let n = min(chunk, events - sent)
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            // Encoded straight into one record batch: the load generator shares the cores with the scorer,
            // so it allocates nothing per event.
            var records = KafkaProducerBatch(topic: "meters")
            records.values.reserveCapacity(n * 100)
            for i in sent..<(sent + n) {
                let spike = i % 1009 == 0
                records.values += Self.tsKey
                Self.appendDecimal(Int(now), to: &records.values)
                records.values += Self.meterKey
                let keyStart = records.values.count
                records.values.append(UInt8(ascii: "m"))
                Self.appendDecimal(i % 1000, to: &records.values)
                let keyEnd = records.values.count
                records.values += spike ? Self.spikeReading : Self.normalReading
                Self.appendDecimal(i, to: &records.values)
                records.values += Self.close
                records.valueEnds.append(records.values.count)
                records.keys.append(contentsOf: records.values[keyStart..<keyEnd])
                records.keyEnds.append(records.keys.count)
            }
            outstanding.append(Task { [records] in _ = try await producer.send(records) })
            if outstanding.count > 64 { try await outstanding.removeFirst().value }
            sent += n
            if rate > 0 {
                let due = begin + .milliseconds(Int64(sent) * 1000 / Int64(rate))
                if due > clock.now { try await Task.sleep(until: due, clock: clock) }
            }
        }
        for task in outstanding { try await task.value }
    }

    /// Latency by when the event was produced, in 100 ms windows: shows whether the tail is steady or comes in bursts.
    static func writeTimeline(_ samples: [(produced: Int64, latency: Double)], to path: String) throws {
        guard let first = samples.map(\.produced).min() else { return }
        var windows: [Int64: [Double]] = [:]
        for s in samples { windows[(s.produced - first) / 100, default: []].append(s.latency) }
        var csv = "window_start_ms,events,p50_ms,p99_ms,max_ms\n"
        for key in windows.keys.sorted() {
            let l = windows[key]!.sorted()
            csv += "\(key * 100),\(l.count),\(l[l.count / 2]),\(l[min(l.count - 1, l.count * 99 / 100)]),\(l[l.count - 1])\n"
        }
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
    }

    static let tsKey = Array("{\"ts\":".utf8), meterKey = Array(",\"meter\":\"".utf8)
    static let normalReading = Array("\",\"kwh\":0.3,\"voltage\":230,\"reading_id\":\"r".utf8)
    static let spikeReading = Array("\",\"kwh\":9.5,\"voltage\":180,\"reading_id\":\"r".utf8)
    static let close = Array("\"}".utf8)

    /// A non-negative integer's decimal digits, appended without building a String.
    static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var v = value, count = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[23 - count] = UInt8(48 + v % 10)
                v /= 10
                count += 1
            } while v > 0 && count < 24
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: d[(24 - count)...]))
        }
    }

    /// Milliseconds from the event's payload time to its prediction's Kafka timestamp.
    /// When the event was produced (its payload time) and how long until its prediction's Kafka timestamp, in ms.
    static func latency(_ value: UnsafeRawBufferPointer, timestamp: Int64?) -> (Int64, Double) {
        let key = Self.timeKey
        guard let stamp = timestamp, let start = Self.firstIndex(of: key, in: value) else { return (0, .nan) }
        let from = start + key.count
        var end = from
        while end < value.count, value[end] != UInt8(ascii: "\"") { end += 1 }
        guard let t = EventTime.parseRFC3339(utf8: UnsafeRawBufferPointer(rebasing: value[from..<end])) else { return (0, .nan) }
        return (t, Double(stamp - t))
    }

    static let timeKey = Array("\"time\":\"".utf8)

    /// Where `needle` first occurs in `bytes` (the reader must keep up with 400,000 predictions a second).
    static func firstIndex(of needle: [UInt8], in b: UnsafeRawBufferPointer) -> Int? {
        guard let first = needle.first, b.count >= needle.count else { return nil }
        return needle.withUnsafeBufferPointer { n in
            var i = 0
            while i <= b.count - n.count {
                if b[i] == first, memcmp(b.baseAddress! + i, n.baseAddress!, n.count) == 0 { return i }
                i += 1
            }
            return nil
        }
    }

    static func registerModel(in registry: Registry, dir: URL) throws {
        // The forest as `train` fits it by default: context features from per-series memory, calibrated flags.
        let readings = Self.recentReadings()
        let forest = try IsolationForestKind().fit(readings, settings: [], seed: 3)
        let file = dir.appendingPathComponent("model.h5").path
        try forest.save(file, [:])
        try registry.register(ModelRegistration(name: "meters-if", modelFile: file, forewarnVersion: ForewarnVersion.string), promoteTo: "production")
        // Version 2 waits unpromoted; the bench promotes it halfway through to time the switch.
        try registry.register(ModelRegistration(name: "meters-if", modelFile: file, forewarnVersion: ForewarnVersion.string))
        let forecaster = try SeasonalForecaster.fit(readings, parameters: Self.forecastParameters)
        let fcFile = dir.appendingPathComponent("forecaster.h5").path
        try forecaster.save(to: fcFile)
        try registry.register(ModelRegistration(name: "meters-fc", modelFile: fcFile, forewarnVersion: ForewarnVersion.string), promoteTo: "production")
    }

    /// Sends one event and waits for its predictions, so the clock starts with the scorer fetching and
    /// the reader in its group: their first fetches after joining are start-up, not steady-state latency.
    static func prime(_ producer: KafkaProducer, reader: KafkaConsumer, predictions: Int) async throws {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let json = "{\"ts\":\(now),\"meter\":\"m0\",\"kwh\":0.3,\"voltage\":230,\"reading_id\":\"prime\"}"
        _ = try await producer.send([KafkaProducerMessage(topic: "meters", key: Array("m0".utf8), value: Array(json.utf8))])
        var seen = 0
        let deadline = ContinuousClock.now + .seconds(30)
        while seen < predictions {
            guard ContinuousClock.now < deadline else { throw CommandFailure("the scorer did not predict a first event within 30 s") }
            seen += try await reader.poll(maxMessages: 100, timeout: .milliseconds(100)).count
        }
    }

    /// Each event gets one prediction per model: the isolation forest's and the forecaster's.
    static let modelsServed = 2

    /// The bench's meters send many readings a second, so the forecaster works on a 1 s cadence with a one-minute cycle.
    static var forecastParameters: ForecastParameters {
        var p = ForecastParameters()
        p.cadenceMs = 1_000
        p.periodsMs = [60_000]
        p.harmonics = [[2]]
        p.calendar = false
        p.lags = [1]
        p.levelRate = [0.02]
        p.ridge = [1e-3]
        p.validationFolds = 2
        return p
    }

    /// Ten minutes of one reading a second from each of the bench's 1,000 meters, ending now.
    static func recentReadings() -> ForecastColumns {
        var rng = SplitMixBench(seed: 5)
        let cells = 600, meters = 1_000
        let end = Int64(Date().timeIntervalSince1970) * 1000
        var time: [Int64] = [], codes: [Int32] = [], kwh: [Double] = [], voltage: [Double] = []
        for c in 0..<cells {
            for m in 0..<meters {
                time.append(end - Int64(cells - c) * 1000)
                codes.append(Int32(m))
                kwh.append(0.3 + 0.1 * rng.nextSigned())
                voltage.append(230 + 2 * rng.nextSigned())
            }
        }
        return ForecastColumns(
            time: time, seriesCodes: codes, seriesNames: (0..<meters).map { "m\($0)" }, fieldNames: ["kwh", "voltage"],
            fields: [kwh, voltage])
    }
}
