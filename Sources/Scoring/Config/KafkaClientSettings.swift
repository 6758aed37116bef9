import Kafka

/// The librdkafka settings of the scorer's consumer and producer: the
/// configuration's `kafka.config` map, with what the scorer's guarantees need
/// forced (manual commits; `read_committed` and a transactional id under
/// exactly-once) and latency defaults it may override.
public enum KafkaClientSettings {
    public static func consumer(_ config: ServeConfig, bootstrapServers: String) -> KafkaConsumerConfiguration {
        var properties = config.kafkaConfig
        properties["enable.auto.commit"] = "false"
        properties["auto.offset.reset"] = properties["auto.offset.reset"] ?? "earliest"
        if config.delivery == .exactlyOnce { properties["isolation.level"] = "read_committed" }
        if let id = config.instanceID { properties["group.instance.id"] = id }
        // librdkafka's mock broker answers an empty fetch only after the full wait, even when data arrives
        // meanwhile; a real broker answers early. So a short wait costs nothing there and saves 500 ms here.
        properties["fetch.wait.max.ms"] = properties["fetch.wait.max.ms"] ?? "10"
        properties["socket.nagle.disable"] = properties["socket.nagle.disable"] ?? "true"
        return KafkaConsumerConfiguration(bootstrapServers: bootstrapServers, groupID: config.group, properties: properties)
    }

    public static func producer(_ config: ServeConfig, bootstrapServers: String) -> KafkaProducerConfiguration {
        var properties = config.kafkaConfig
        properties["linger.ms"] = properties["linger.ms"] ?? "5"
        properties["socket.nagle.disable"] = properties["socket.nagle.disable"] ?? "true"
        return KafkaProducerConfiguration(
            bootstrapServers: bootstrapServers, transactionalID: transactionalID(config), properties: properties)
    }

    /// One id per group: a restarted scorer fences its own previous incarnation's open transaction.
    public static func transactionalID(_ config: ServeConfig) -> String? {
        config.delivery == .exactlyOnce ? "forewarn-\(config.group)" : nil
    }
}
