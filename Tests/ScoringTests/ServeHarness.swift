import AnomalyModels
import EventArchive
import Foundation
import Kafka
import ModelRegistry
import Scoring

/// An embedded cluster, a registry with fitted models, and a scorer running against them.
final class ServeHarness {
    let dir: URL
    let cluster: EmbeddedKafkaCluster
    let registry: Registry
    let topic = "meters", output = "predictions", dead = "dead-letters"
    let producer: KafkaProducer
    var stack: ScoringStack?
    var task: Task<Void, Error>?

    init(partitions: Int = 2) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("forewarn-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        cluster = try EmbeddedKafkaCluster(brokers: 1)
        for t in [topic, output, dead] { try cluster.createTopic(name: t, partitions: partitions) }
        registry = Registry(root: dir.appendingPathComponent("Models").path)
        producer = try KafkaProducer(configuration: KafkaProducerConfiguration(bootstrapServers: cluster.bootstrapServers))
        try """
        stream: meters
        key: meter
        time: ts
        fields: [kwh, voltage]
        id: reading_id
        """.write(to: dir.appendingPathComponent("meters.yaml"), atomically: true, encoding: .utf8)
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    /// Fits a forest on normal readings and registers it; returns its version.
    @discardableResult
    func register(seed: UInt64, promote: Bool, fields: [String] = ["kwh", "voltage"]) throws -> Int {
        var v: [Double] = []
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2_000 { v += [Double.random(in: 0.1...0.5, using: &rng), Double.random(in: 228...232, using: &rng)].prefix(fields.count) }
        var p = IsolationForestParameters()
        p.seed = seed
        let forest = try IsolationForest.fit(FeatureMatrix(rows: 2_000, columns: fields.count, values: v), featureNames: fields, parameters: p)
        let file = dir.appendingPathComponent("m-\(seed).h5").path
        try forest.save(to: file)
        let meta = try registry.register(ModelRegistration(name: "meters-if", modelFile: file, forewarnVersion: "test"))
        if promote { try registry.promote(name: "meters-if", version: meta.version) }
        return meta.version
    }

    func config(extra: String = "") throws -> ServeConfig {
        try ServeConfig.parse(
            yaml: """
                kafka:
                  brokers: \(cluster.bootstrapServers)
                  group: scorer
                  config: {heartbeat.interval.ms: "100", session.timeout.ms: "6000", topic.metadata.refresh.interval.ms: "500"}
                inputs:
                  - {topic: \(topic), spec: meters.yaml}
                models:
                  - {name: meters-if}
                output: {topic: \(output), dead_letter_topic: \(dead)}
                registry: \(registry.root)
                batch: {max_events: 500, max_wait_ms: 10}
                \(extra)
                """, relativeTo: dir)
    }

    /// Assembles the scorer for `config` (which names this harness's cluster) and runs it.
    @discardableResult
    func start(_ config: ServeConfig, metrics: ServeMetrics = ServeMetrics(), extraSinks: [BatchSink] = []) async throws -> ScoringStack {
        let stack = try await Self.assemble(config, metrics: metrics, extraSinks: extraSinks)
        self.stack = stack
        task = Task { try await stack.run() }
        return stack
    }

    /// A harness with one promoted model and a scorer running on `config(extra:)`, and that scorer's metrics.
    static func serving(extra: String = "") async throws -> (ServeHarness, ServeMetrics) {
        let h = try ServeHarness()
        try h.register(seed: 1, promote: true)
        let metrics = ServeMetrics()
        try await h.start(try h.config(extra: extra), metrics: metrics)
        return (h, metrics)
    }

    static func assemble(_ config: ServeConfig, metrics: ServeMetrics = ServeMetrics(), extraSinks: [BatchSink] = []) async throws
        -> ScoringStack
    {
        var options = ScoringStack.Options()
        options.extraSinks = extraSinks
        return try await ScoringStack.assemble(config, metrics: metrics, options: options)
    }

    func stop() async throws {
        task?.cancel()
        try await task?.value
    }

    /// Events `from..<to` as JSON, keyed by meter; every 97th is a spike.
    func send(_ range: Range<Int>) async throws {
        let messages = range.map { i in
            let (kwh, volts) = i % 97 == 0 ? (40.0, 120.0) : (0.3, 230.0)
            let json = "{\"ts\":\(1_767_225_600_000 + Int64(i) * 1000),\"meter\":\"m\(i % 7)\",\"kwh\":\(kwh),\"voltage\":\(volts),\"reading_id\":\"r\(i)\"}"
            return KafkaProducerMessage(topic: topic, key: Array("m\(i % 7)".utf8), value: Array(json.utf8))
        }
        _ = try await producer.send(messages)
    }

    func sendRaw(_ payloads: [String]) async throws {
        _ = try await producer.send(payloads.map { KafkaProducerMessage(topic: topic, value: Array($0.utf8)) })
    }

    /// Reads `topic` from the start in a fresh group until `count` messages came (or the polls run out).
    func read(_ topic: String, count: Int, maxPolls: Int = 600, isolation: String? = nil) async throws -> [KafkaConsumerMessage] {
        try await read(topic, maxPolls: maxPolls, isolation: isolation) { $0.count >= count }
    }

    /// Reads until `count` distinct event ids have a prediction: under at-least-once delivery, repeats
    /// must not stand in for events still to come.
    func readDistinctEvents(_ topic: String, count: Int, maxPolls: Int = 600) async throws -> [KafkaConsumerMessage] {
        var ids = Set<String>(), seen = 0
        return try await read(topic, maxPolls: maxPolls) { messages in
            for m in messages[seen...] { if let id = m.json["event_id"] as? String { ids.insert(id) } }
            seen = messages.count
            return ids.count >= count
        }
    }

    private func read(_ topic: String, maxPolls: Int, isolation: String? = nil, until done: ([KafkaConsumerMessage]) -> Bool) async throws
        -> [KafkaConsumerMessage]
    {
        var properties = ["auto.offset.reset": "earliest", "enable.auto.commit": "false"]
        if let isolation { properties["isolation.level"] = isolation }
        let consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(
                bootstrapServers: cluster.bootstrapServers, groupID: "reader-\(UUID().uuidString)", properties: properties))
        try consumer.subscribe(topics: [topic])
        var out: [KafkaConsumerMessage] = []
        var polls = 0
        while !done(out), polls < maxPolls {
            out += try await consumer.poll(maxMessages: 1000, timeout: .milliseconds(100)).messages
            polls += 1
        }
        await consumer.close()
        return out
    }
}

extension ServeHarness {
    /// The offsets `group` has committed on the input topic, summed over its partitions (none: 0), read by
    /// joining the group once the scorer has left it.
    func committedInputOffsets(group: String = "scorer") async throws -> Int64 {
        let consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(
                bootstrapServers: cluster.bootstrapServers, groupID: group,
                properties: ["enable.auto.commit": "false", "auto.offset.reset": "latest"]))
        try consumer.subscribe(topics: [topic])
        for _ in 0..<200 where (try consumer.assignment()).isEmpty {
            _ = try await consumer.poll(maxMessages: 1, timeout: .milliseconds(100))
        }
        let lags = try await consumer.lag()
        await consumer.close()
        return lags.compactMap(\.committed).reduce(0, +)
    }
}

extension KafkaConsumerMessage {
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(value))) as? [String: Any] ?? [:] }
}
