import Kafka

/// Pauses fetching while too many batches wait on their sinks, and resumes
/// once they caught up. Short waits for the sinks are back-pressure enough;
/// only a sink that stays behind (an outage, a slow store) pauses the
/// assignment, which costs a refetch, and polling goes on meanwhile so the
/// group keeps this member. Owned by the scoring loop.
struct BackPressure {
    let consumer: KafkaConsumer
    let chain: InFlightChain
    /// How many batches may wait on their sinks before consumption pauses.
    let limit: Int
    /// How long a new batch may wait for a free slot before fetching pauses.
    var patience = Duration.milliseconds(500)
    private(set) var paused = false

    init(consumer: KafkaConsumer, chain: InFlightChain, limit: Int) {
        self.consumer = consumer
        self.chain = chain
        self.limit = max(1, limit)
    }

    /// After every poll: resumes a paused assignment once fewer than `limit` batches are pending.
    mutating func resumeIfCaughtUp() throws {
        guard paused, chain.pending < limit else { return }
        try consumer.resume(try consumer.assignment())
        paused = false
    }

    /// After handing a batch over: waits up to `patience` for a free slot, else pauses the assignment.
    mutating func throttle() async throws {
        guard !paused, !(await chain.wait(below: limit, timeout: patience)) else { return }
        try consumer.pause(try consumer.assignment())
        paused = true
    }
}
