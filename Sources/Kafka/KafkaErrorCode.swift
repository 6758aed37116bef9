import CRdKafka

/// An `rd_kafka_resp_err_t` value: negative codes are librdkafka's own, positive ones the Kafka protocol's.
public struct KafkaErrorCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let noError = KafkaErrorCode(rawValue: RD_KAFKA_RESP_ERR_NO_ERROR.rawValue)
    public static let transport = KafkaErrorCode(rawValue: RD_KAFKA_RESP_ERR__TRANSPORT.rawValue)
    /// Raised (through the error callback) when the client has no broker connection left.
    public static let allBrokersDown = KafkaErrorCode(rawValue: RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN.rawValue)
    public static let messageTimedOut = KafkaErrorCode(rawValue: RD_KAFKA_RESP_ERR__MSG_TIMED_OUT.rawValue)
    public static let timedOut = KafkaErrorCode(rawValue: RD_KAFKA_RESP_ERR__TIMED_OUT.rawValue)
    public static let unknownPartition = KafkaErrorCode(rawValue: RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION.rawValue)
    public static let unknownTopic = KafkaErrorCode(rawValue: RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC.rawValue)
    public static let invalidArgument = KafkaErrorCode(rawValue: RD_KAFKA_RESP_ERR__INVALID_ARG.rawValue)
    public static let queueFull = KafkaErrorCode(rawValue: RD_KAFKA_RESP_ERR__QUEUE_FULL.rawValue)
    public static let destroyed = KafkaErrorCode(rawValue: RD_KAFKA_RESP_ERR__DESTROY.rawValue)
    public static let state = KafkaErrorCode(rawValue: RD_KAFKA_RESP_ERR__STATE.rawValue)
    public static let unknownTopicOrPartition = KafkaErrorCode(
        rawValue: RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART.rawValue)
    public static let notLeaderForPartition = KafkaErrorCode(
        rawValue: RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION.rawValue)
    /// A message larger than the producer's `message.max.bytes` (refused locally) or the topic's limit (by the broker).
    public static let messageSizeTooLarge = KafkaErrorCode(rawValue: RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE.rawValue)
    public static let requestTimedOut = KafkaErrorCode(rawValue: RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT.rawValue)
    public static let notEnoughReplicas = KafkaErrorCode(rawValue: RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS.rawValue)
    public static let notCoordinator = KafkaErrorCode(rawValue: RD_KAFKA_RESP_ERR_NOT_COORDINATOR.rawValue)
    public static let coordinatorLoadInProgress = KafkaErrorCode(
        rawValue: RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS.rawValue)

    /// librdkafka's name for the code, e.g. `NOT_LEADER_FOR_PARTITION`.
    public var description: String { String(cString: rd_kafka_err2name(rd_kafka_resp_err_t(rawValue))) }
}
