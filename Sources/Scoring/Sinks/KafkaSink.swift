import Kafka

/// Predictions and dead letters to Kafka, awaiting every delivery report.
/// The producer belongs to the scorer (it also carries the exactly-once
/// transactions), so closing the sink leaves it open.
struct KafkaSink: BatchSink {
    let producer: KafkaProducer
    var name: String { "kafka" }

    func write(_ batch: ScoredBatch) async throws {
        async let predictions = producer.send(batch.predictionMessages)
        async let deadLetters = producer.send(batch.deadLetterMessages)
        _ = try await (predictions, deadLetters)
    }
}
