import Logging
/// How to build a `KafkaConsumer`: a bootstrap list, a group, and librdkafka properties passed through.
///
/// Defaults this layer sets (each can be overridden through `properties`):
/// `enable.auto.commit=false` and `enable.auto.offset.store=false` (the owner commits explicit offsets),
/// `auto.offset.reset=earliest` (a new group reads from the start: nothing is skipped),
/// `enable.partition.eof=false`. Anything else (`security.protocol`, `sasl.*`, `ssl.*`,
/// `isolation.level`, `statistics.interval.ms`, `partition.assignment.strategy`, ...) goes in `properties`
/// verbatim; an unknown or invalid one makes the consumer's init throw.
public struct KafkaConsumerConfiguration: Sendable {
    public var bootstrapServers: String
    public var groupID: String
    public var properties: [String: String]
    /// Where librdkafka's own log lines go (`KafkaLogBridge`: structured, rate-limited).
    public var logger = Logger(label: "forewarn.kafka")

    public init(bootstrapServers: String, groupID: String, properties: [String: String] = [:]) {
        self.bootstrapServers = bootstrapServers
        self.groupID = groupID
        self.properties = properties
    }

    var librdkafkaProperties: [(String, String)] {
        KafkaClientHandle.merge(
            [
                ("bootstrap.servers", bootstrapServers), ("group.id", groupID), ("enable.auto.commit", "false"),
                ("enable.auto.offset.store", "false"), ("auto.offset.reset", "earliest"),
                ("enable.partition.eof", "false"),
            ], properties)
    }
}
