import Basics
import CQL
import ConfigFiles
import EventArchive
import Foundation

/// What `forewarn serve` runs: where events come from, which models score
/// them, and where predictions go. Read from one YAML file; see
/// docs/configuration.md for every key and the environment overrides.
public struct ServeConfig: Sendable {
    public enum Delivery: String, Sendable {
        case atLeastOnce = "at-least-once"
        case exactlyOnce = "exactly-once"
    }

    /// What an offset reset on an input partition (events lost) does besides its log error and counter.
    public enum OnOffsetReset: String, Sendable {
        case `continue`
        case exit
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
    /// The consumer's `group.instance.id` (static membership): a restarted replica with the same id takes its
    /// partitions back at once instead of after the session timeout. Nil: dynamic membership.
    public var instanceID: String?
    public var kafkaConfig: [String: String]
    public var inputs: [Input]
    public var models: [ModelRef]
    public var outputTopic: String
    public var deadLetterTopic: String
    public var delivery: Delivery
    public var registry: String
    public var archive: String?
    /// Where `/metrics`, `/healthz` and `/readyz` listen; validated when the configuration is read.
    public var metricsListen: ListenAddress?
    public var batchMaxEvents: Int
    public var batchMaxWaitMs: Int
    /// Where predictions are also written, when the file has a `cassandra` section.
    public var cassandra: CassandraConfig?
    /// How long a stop may take (draining, the last commits, leaving the group, flushing) before the scorer
    /// exits anyway, with status 7 and the offsets it could not commit in its log.
    public var shutdownTimeout: Duration = .seconds(30)
    /// How long the brokers may stay unreachable before the scorer exits (status 5) for its supervisor to
    /// restart it, rather than retrying unseen.
    public var brokerLossExitAfter: Duration = .seconds(300)
    /// `exit`: an input offset reset stops the scorer with status 8.
    public var onOffsetReset: OnOffsetReset = .continue

    public var embedded: Bool { brokers == "embedded" }

    /// Reads `path`, resolving spec paths against its folder, then applies overrides from `environment`.
    /// Every problem is a `ConfigError` naming the file, line and key.
    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> ServeConfig
    {
        let base = URL(fileURLWithPath: path).deletingLastPathComponent()
        return try parse(ConfigNode.load(path: path), relativeTo: base, environment: environment)
    }

    static let topKeys = [
        "kafka", "inputs", "models", "output", "delivery", "registry", "archive", "metrics", "batch", "cassandra",
        "shutdown_timeout", "broker_loss_exit_after", "on_offset_reset",
    ]

    public static func parse(yaml: String, relativeTo base: URL, environment: [String: String] = [:]) throws -> ServeConfig {
        try parse(ConfigNode.parse(yaml: yaml), relativeTo: base, environment: environment)
    }

    static func parse(_ root: ConfigNode, relativeTo base: URL, environment: [String: String]) throws -> ServeConfig {
        let top = try root.mapping(allowed: topKeys)
        let k = try top.required("kafka").mapping(allowed: ["brokers", "group", "instance_id", "config"])
        var inputs: [Input] = []
        for item in try top.required("inputs").sequence() {
            let m = try item.mapping(allowed: ["topic", "spec"])
            inputs.append(Input(topic: try m.required("topic").string(), spec: try spec(m.required("spec"), relativeTo: base)))
        }
        guard !inputs.isEmpty else { throw try top.required("inputs").fail("expected at least one input topic") }
        var models: [ModelRef] = []
        for item in try top.required("models").sequence() {
            let m = try item.mapping(allowed: ["name", "alias", "stream"])
            let stream = try m["stream"]?.string() ?? (inputs.count == 1 ? inputs[0].spec.stream : "")
            guard inputs.contains(where: { $0.spec.stream == stream }) else {
                throw (m["stream"] ?? item).fail(
                    stream.isEmpty
                        ? "with several inputs each model names its 'stream'"
                        : "expected one of the inputs' streams (\(inputs.map(\.spec.stream).joined(separator: ", "))), found '\(stream)'")
            }
            models.append(ModelRef(name: try m.required("name").string(), alias: try m["alias"]?.string() ?? "production", stream: stream))
        }
        guard !models.isEmpty else { throw try top.required("models").fail("expected at least one model") }
        let output = try top.required("output").mapping(allowed: ["topic", "dead_letter_topic"])
        let batch = try top["batch"]?.mapping(allowed: ["max_events", "max_wait_ms"])
        let delivery = try top["delivery"].map { node in
            guard let d = Delivery(rawValue: try node.string()) else { throw node.expected("at-least-once or exactly-once") }
            return d
        }
        var config = ServeConfig(
            brokers: try k.required("brokers").string(),
            group: try k["group"]?.string() ?? "forewarn-scorer",
            instanceID: try k["instance_id"]?.string(),
            kafkaConfig: try k["config"]?.stringMap() ?? [:],
            inputs: inputs, models: models,
            outputTopic: try output.required("topic").string(),
            deadLetterTopic: try output["dead_letter_topic"]?.string() ?? "forewarn-dead-letters",
            delivery: delivery ?? .atLeastOnce,
            registry: try top["registry"]?.string() ?? "Models",
            archive: try top["archive"]?.string(),
            metricsListen: try top["metrics"].map { node in
                do { return try ListenAddress(parsing: node.string()) } catch let error as ListenAddressError { throw node.fail(error.description) }
            },
            batchMaxEvents: try batch?["max_events"]?.int(in: 1...1_000_000) ?? 10_000,
            batchMaxWaitMs: try batch?["max_wait_ms"]?.int(in: 0...60_000) ?? 20,
            cassandra: try top["cassandra"].map(CassandraConfig.parse))
        if let node = top["shutdown_timeout"] { config.shutdownTimeout = try positive(node) }
        if let node = top["broker_loss_exit_after"] { config.brokerLossExitAfter = try positive(node) }
        if let node = top["on_offset_reset"] {
            guard let value = OnOffsetReset(rawValue: try node.string()) else { throw node.expected("continue or exit") }
            config.onOffsetReset = value
        }
        try config.apply(environment)
        if config.instanceID != nil, config.kafkaConfig["group.instance.id"] != nil {
            throw try (k["instance_id"] ?? k.required("config")).fail("give the instance id once: 'kafka.instance_id' (or FOREWARN_KAFKA_INSTANCE_ID) or 'group.instance.id' under 'kafka.config'")
        }
        return config
    }

    private static func positive(_ node: ConfigNode) throws -> Duration {
        let span = try node.timeSpan()
        guard span.milliseconds > 0 else { throw node.expected("a duration above zero") }
        return span.duration
    }

    /// The stream spec an input names, resolved against the config's folder. A
    /// problem inside the spec is reported at the spec file's own line and key;
    /// a spec that cannot be read, at this config's `spec` key.
    static func spec(_ node: ConfigNode, relativeTo base: URL) throws -> StreamSpec {
        let path = try node.string()
        let resolved = path.hasPrefix("/") ? path : base.appendingPathComponent(path).path
        do { return try StreamSpec.load(path: resolved) } catch let error as ConfigError where error.line != nil || error.key != nil {
            throw error
        } catch let error as ConfigError {
            throw node.fail("\(resolved): \(error.message)")
        }
    }

    /// `FOREWARN_KAFKA_BROKERS`, `FOREWARN_KAFKA_GROUP`, `FOREWARN_KAFKA_INSTANCE_ID`, `FOREWARN_REGISTRY`,
    /// `FOREWARN_ARCHIVE` and `FOREWARN_METRICS` win over the file.
    mutating func apply(_ environment: [String: String]) throws(ConfigError) {
        if let v = environment["FOREWARN_KAFKA_BROKERS"], !v.isEmpty { brokers = v }
        if let v = environment["FOREWARN_KAFKA_GROUP"], !v.isEmpty { group = v }
        if let v = environment["FOREWARN_KAFKA_INSTANCE_ID"], !v.isEmpty { instanceID = v }
        if let v = environment["FOREWARN_REGISTRY"], !v.isEmpty { registry = v }
        if let v = environment["FOREWARN_ARCHIVE"], !v.isEmpty { archive = v }
        if let v = environment["FOREWARN_METRICS"], !v.isEmpty {
            do { metricsListen = try ListenAddress(parsing: v) } catch { throw ConfigError("FOREWARN_METRICS: \(error.description)") }
        }
    }
}
