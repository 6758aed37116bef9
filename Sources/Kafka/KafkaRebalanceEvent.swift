/// A change of a consumer's assignment, reported from the poll thread before librdkafka completes it.
public enum KafkaRebalanceEvent: Equatable, Sendable {
    /// The consumer now owns these partitions: warm per-series state before reading them.
    case assigned([KafkaTopicPartition])
    /// The consumer is about to lose these partitions: finish and commit what is in flight now.
    case revoked([KafkaTopicPartition])
    /// The partitions were lost without a chance to commit (session timeout, fatal error): drop their state;
    /// commits for them would fail.
    case lost([KafkaTopicPartition])
    /// The group reported an error instead of an assignment; the consumer was unassigned.
    case failed(KafkaError)
}
