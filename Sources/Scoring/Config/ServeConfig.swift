import CQL
import EventArchive
import Foundation
import Yams

/// What `forewarn serve` runs: where events come from, which models score
/// them, and where predictions go. Read from one YAML file; see
/// docs/configuration.md for every key and the environment overrides.
public struct ServeConfig: Sendable {
    public enum Delivery: String, Sendable {
        case atLeastOnce = "at-least-once"
        case exactlyOnce = "exactly-once"
    }

    public struct Input: Sendable {
        public var topic: String
        public var spec: StreamSpec
    }

    public struct ModelRef: Sendable {
        public var name: String
        public var alias: String
        /// The input stream this model scores.
        public var stream: String
    }

    /// `embedded` or a bootstrap list.
    public var brokers: String
    public var group: String
    public var kafkaConfig: [String: String]
    public var inputs: [Input]
    public var models: [ModelRef]
    public var outputTopic: String
    public var deadLetterTopic: String
    public var delivery: Delivery
    public var registry: String
    public var archive: String?
    public var metricsListen: String?
    public var batchMaxEvents: Int
    public var batchMaxWaitMs: Int
    /// Where predictions are also written, when the file has a `cassandra` section.
    public var cassandra: CassandraConfig?

    public var embedded: Bool { brokers == "embedded" }

    /// Reads `path`, resolving spec paths against its folder, then applies overrides from `environment`.
    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> ServeConfig
    {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: path, "cannot read the file as UTF-8 text")
        }
        do {
            let base = URL(fileURLWithPath: path).deletingLastPathComponent()
            return try parse(yaml: text, relativeTo: base, environment: environment)
        } catch var error as ConfigError {
            if error.file == nil { error.file = path }
            throw error
        }
    }

    static let topKeys = [
        "kafka", "inputs", "models", "output", "delivery", "registry", "archive", "metrics", "batch", "cassandra",
    ]

    public static func parse(yaml: String, relativeTo base: URL, environment: [String: String] = [:]) throws -> ServeConfig {
        let root = try ConfigNode.parse(yaml)
        let top = try root.mapping(allowed: topKeys)
        let kafka = try top.required("kafka", in: root)
        let k = try kafka.mapping(allowed: ["brokers", "group", "config"])
        var inputs: [Input] = []
        for item in try top.required("inputs", in: root).sequence() {
            let m = try item.mapping(allowed: ["topic", "spec"])
            let specNode = try m.required("spec", in: item)
            let specPath = try specNode.string()
            let resolved = specPath.hasPrefix("/") ? specPath : base.appendingPathComponent(specPath).path
            let spec: StreamSpec
            do { spec = try StreamSpec.load(path: resolved) } catch { throw specNode.fail("\(error)") }
            inputs.append(Input(topic: try m.required("topic", in: item).string(), spec: spec))
        }
        guard !inputs.isEmpty else { throw root.fail("'inputs' must list at least one topic") }
        var models: [ModelRef] = []
        for item in try top.required("models", in: root).sequence() {
            let m = try item.mapping(allowed: ["name", "alias", "stream"])
            let stream = try m["stream"]?.string() ?? (inputs.count == 1 ? inputs[0].spec.stream : "")
            guard inputs.contains(where: { $0.spec.stream == stream }) else {
                throw item.fail(
                    stream.isEmpty
                        ? "with several inputs each model names its 'stream'"
                        : "stream '\(stream)' is not one of the inputs (\(inputs.map(\.spec.stream).joined(separator: ", ")))")
            }
            models.append(
                ModelRef(name: try m.required("name", in: item).string(), alias: try m["alias"]?.string() ?? "production", stream: stream))
        }
        guard !models.isEmpty else { throw root.fail("'models' must list at least one model") }
        let output = try top.required("output", in: root).mapping(allowed: ["topic", "dead_letter_topic"])
        let outputNode = try top.required("output", in: root)
        let batch = try top["batch"]?.mapping(allowed: ["max_events", "max_wait_ms"]) ?? [:]
        let deliveryText = try top["delivery"]?.string() ?? Delivery.atLeastOnce.rawValue
        guard let delivery = Delivery(rawValue: deliveryText) else {
            throw top["delivery"]?.fail("expected at-least-once or exactly-once") ?? root.fail("bad delivery")
        }
        var config = ServeConfig(
            brokers: try k.required("brokers", in: kafka).string(),
            group: try k["group"]?.string() ?? "forewarn-scorer",
            kafkaConfig: try k["config"]?.stringMap() ?? [:],
            inputs: inputs, models: models,
            outputTopic: try output.required("topic", in: outputNode).string(),
            deadLetterTopic: try output["dead_letter_topic"]?.string() ?? "forewarn-dead-letters",
            delivery: delivery,
            registry: try top["registry"]?.string() ?? "Models",
            archive: try top["archive"]?.string(),
            metricsListen: try top["metrics"]?.string(),
            batchMaxEvents: try batch["max_events"]?.int(in: 1...1_000_000) ?? 10_000,
            batchMaxWaitMs: try batch["max_wait_ms"]?.int(in: 0...60_000) ?? 20,
            cassandra: try top["cassandra"].map { node in
                do { return try CassandraConfig.parse(yaml: try Yams.serialize(node: node.node), source: "'cassandra'") } catch {
                    throw node.fail("\(error)")
                }
            })
        config.apply(environment)
        return config
    }

    /// `FOREWARN_KAFKA_BROKERS`, `FOREWARN_KAFKA_GROUP`, `FOREWARN_REGISTRY`,
    /// `FOREWARN_ARCHIVE` and `FOREWARN_METRICS` win over the file.
    mutating func apply(_ environment: [String: String]) {
        if let v = environment["FOREWARN_KAFKA_BROKERS"], !v.isEmpty { brokers = v }
        if let v = environment["FOREWARN_KAFKA_GROUP"], !v.isEmpty { group = v }
        if let v = environment["FOREWARN_REGISTRY"], !v.isEmpty { registry = v }
        if let v = environment["FOREWARN_ARCHIVE"], !v.isEmpty { archive = v }
        if let v = environment["FOREWARN_METRICS"], !v.isEmpty { metricsListen = v }
    }
}
