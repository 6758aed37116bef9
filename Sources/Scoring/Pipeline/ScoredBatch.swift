import EventArchive
import Kafka
import ModelKinds

/// Everything one consumed batch turned into, ready for the sinks.
public struct ScoredBatch: Sendable {
    /// The batch's place in consumption order: the scoring loop numbers the
    /// batches it hands to the sinks 0, 1, 2, ... (sinks that must keep that
    /// order, like the archive, wait on it; retries carry the same number).
    public var sequence = 0
    /// Predictions, encoded for the output topic, keyed by series.
    public var predictionMessages = KafkaProducerBatch(topic: "")
    /// Refused input messages for the dead-letter topic.
    public var deadLetterMessages: [KafkaProducerMessage] = []
    /// Decoded events per stream, for the archive sink.
    public var events: [String: EventBatch] = [:]
    /// Predictions per model for the table sinks, aligned with `events[stream]`.
    public var predictions: [ModelPredictions] = []
    /// The offsets to commit once every sink has the batch.
    public var offsets: [KafkaPartitionOffset] = []
    public var eventsIn = 0
    public var predictionsOut = 0
    public var anomalies = 0
    /// Per model: its predictions produced and how many of them are anomalies.
    public var perModel: [String: (predictions: Int, anomalies: Int)] = [:]
    public var deadLetters = 0
    /// Oldest Kafka timestamp in the batch (ms), for end-to-end latency.
    public var oldestTimestamp: Int64?
    /// What fresh model states could not warm up on (damaged archive parts, named), as `model: problem`.
    public var warmUpProblems: [String] = []

    public init() {}
}

/// One model's verdicts on one stream's events of a batch.
public struct ModelPredictions: Sendable {
    public var stream: String
    public var model: String
    public var version: Int
    public var columns: PredictionColumns
}
