import CRdKafka
import Logging

/// librdkafka's mock Kafka cluster, in-process (`brokers: embedded`): brokers listen on loopback ports and
/// speak the Kafka protocol to any client, including other processes. Faults can be injected for tests.
///
/// The cluster runs on its own librdkafka thread, tied to a dedicated producer handle created here (no
/// bootstrap servers, never polled); the fault setters are thread-safe. `deinit` destroys the cluster, then
/// the handle.
public final class EmbeddedKafkaCluster: Sendable {
    // Safety: both pointers are set once in init and destroyed only in deinit. The mock API hands each
    // call to the cluster's own thread (an op queue or its internal lock), so any thread may call it.
    nonisolated(unsafe) private let rk: OpaquePointer
    nonisolated(unsafe) private let cluster: OpaquePointer
    /// The `bootstrap.servers` value for clients: `127.0.0.1:<port>,...`.
    public let bootstrapServers: String
    public let brokerCount: Int
    static let logs = KafkaLogBridge(logger: Logger(label: "forewarn.kafka.cluster"))

    public init(brokers: Int = 3) throws {
        guard brokers > 0 else { throw KafkaError(code: .invalidArgument, message: "a cluster needs at least one broker") }
        let conf = rd_kafka_conf_new()!
        var text = ErrorBuffer()
        _ = rd_kafka_conf_set(conf, "log_level", "3", &text.bytes, text.size)  // the handle has no brokers of its own
        // The cluster's own lines (its handle has no opaque) go through one process-wide bridge.
        rd_kafka_conf_set_log_cb(conf) { rk, level, facility, line in
            guard let rk, let facility, let line else { return }
            EmbeddedKafkaCluster.logs.log(
                level: level, client: String(cString: rd_kafka_name(rk)), facility: String(cString: facility), String(cString: line))
        }
        guard let rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, &text.bytes, text.size) else {
            rd_kafka_conf_destroy(conf)
            throw KafkaError(code: .invalidArgument, message: text.text)
        }
        guard let cluster = rd_kafka_mock_cluster_new(rk, Int32(brokers)) else {
            rd_kafka_destroy(rk)
            throw KafkaError(code: .state, message: "librdkafka could not start a mock cluster")
        }
        self.rk = rk
        self.cluster = cluster
        bootstrapServers = String(cString: rd_kafka_mock_cluster_bootstraps(cluster))
        brokerCount = brokers
    }

    deinit {
        rd_kafka_mock_cluster_destroy(cluster)
        rd_kafka_destroy(rk)
    }

    public func createTopic(name: String, partitions: Int = 1, replicationFactor: Int = 1) throws {
        try KafkaError.check(
            rd_kafka_mock_topic_create(cluster, name, Int32(partitions), Int32(replicationFactor)), "create topic \(name)")
    }

    /// Takes a broker (ids 1...brokerCount) off the network: its connections drop and it accepts none.
    public func setBrokerDown(_ broker: Int32) throws {
        try KafkaError.check(rd_kafka_mock_broker_set_down(cluster, broker), "broker \(broker) down")
    }

    public func setBrokerUp(_ broker: Int32) throws {
        try KafkaError.check(rd_kafka_mock_broker_set_up(cluster, broker), "broker \(broker) up")
    }

    /// The next `errors.count` requests of type `api` (to any broker) fail with these codes, in order.
    /// `.transport` makes the broker drop the connection instead.
    public func pushRequestErrors(_ api: KafkaAPIKey, _ errors: [KafkaErrorCode]) {
        let raw = errors.map { rd_kafka_resp_err_t($0.rawValue) }
        rd_kafka_mock_push_request_errors_array(cluster, api.rawValue, raw.count, raw)
    }

    /// Forgets errors pushed for `api` that were not consumed yet.
    public func clearRequestErrors(_ api: KafkaAPIKey) {
        rd_kafka_mock_clear_request_errors(cluster, api.rawValue)
    }

    /// Moves a partition's leadership (-1 leaves it leaderless); creates the topic if needed.
    public func setPartitionLeader(topic: String, partition: Int32, broker: Int32) throws {
        try KafkaError.check(rd_kafka_mock_partition_set_leader(cluster, topic, partition, broker), "set leader")
    }

    /// Delays every response of a broker.
    public func setBrokerRoundTripTime(_ broker: Int32, _ rtt: Duration) throws {
        try KafkaError.check(rd_kafka_mock_broker_set_rtt(cluster, broker, Int32(clamping: rtt.milliseconds)), "rtt")
    }

    /// Makes a broker the group or transaction coordinator for `key` (`type` is "group" or "transaction").
    public func setCoordinator(type: String, key: String, broker: Int32) throws {
        try KafkaError.check(rd_kafka_mock_coordinator_set(cluster, type, key, broker), "set coordinator")
    }
}

/// librdkafka's version, for `forewarn version`.
public enum KafkaLibrary {
    public static var version: String { String(cString: rd_kafka_version_str()) }
}
