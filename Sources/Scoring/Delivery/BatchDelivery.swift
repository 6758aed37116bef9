/// How a scored batch reaches the sinks and its input offsets the consumer
/// group: `AtLeastOnceDelivery` (chained links, plain commits) or
/// `ExactlyOnceDelivery` (one Kafka transaction per batch). The scoring loop
/// calls `deliver` once per batch, in consumption order.
protocol BatchDelivery: Sendable {
    /// Runs once, before the first batch.
    func prepare() async throws
    /// Hands one batch over. Returns once the batch is on its way (at-least-once)
    /// or committed (exactly-once); throws only when delivery cannot go on.
    func deliver(_ scored: ScoredBatch, polledAt: ContinuousClock.Instant) async throws
}
