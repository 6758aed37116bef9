import Logging
/// How to build a `KafkaProducer`: a bootstrap list, an optional transactional id, and librdkafka
/// properties passed through verbatim (SASL, TLS, `linger.ms`, `compression.type`, ...).
///
/// Idempotence is on by default (`enable.idempotence=true`, which implies `acks=all` and ordered, de-duplicated
/// retries); a `transactionalID` makes the producer transactional (`transactional.id`).
public struct KafkaProducerConfiguration: Sendable {
    public var bootstrapServers: String
    public var transactionalID: String?
    public var properties: [String: String]
    /// Where librdkafka's own log lines go (`KafkaLogBridge`: structured, rate-limited).
    public var logger = Logger(label: "forewarn.kafka")

    public init(bootstrapServers: String, transactionalID: String? = nil, properties: [String: String] = [:]) {
        self.bootstrapServers = bootstrapServers
        self.transactionalID = transactionalID
        self.properties = properties
    }

    var librdkafkaProperties: [(String, String)] {
        var defaults = [("bootstrap.servers", bootstrapServers), ("enable.idempotence", "true")]
        if let transactionalID { defaults.append(("transactional.id", transactionalID)) }
        return KafkaClientHandle.merge(defaults, properties)
    }
}
