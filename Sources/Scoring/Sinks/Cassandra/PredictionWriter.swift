import Basics
import CQL

/// Writes predictions to `predictions`, and the anomalous ones to `anomalies_by_day` too, in
/// unlogged batches of one partition each, a bounded number in flight. `write` returns only when
/// every row is acknowledged; transient failures are retried with backoff (forever by default,
/// until the task is cancelled), so a caller that commits offsets after `write` loses nothing.
/// Rows are upserts keyed by (partition, event time, event id): writing one twice stores it once.
public final class PredictionWriter: Sendable {
    public struct Options: Sendable {
        public var maxRowsPerBatch = 100
        /// Batches in flight, over all concurrent `write` calls together.
        public var maxConcurrentBatches = 16
        public var retry = RetryPolicy(maxAttempts: Int.max, initialBackoff: .milliseconds(20), maxBackoff: .seconds(5))
        public var consistency: Consistency?
        public init() {}
    }

    public let client: CQLClient
    public let options: Options
    public let metrics = WriterMetrics()
    let insertPrediction: PreparedStatement
    let insertAnomaly: PreparedStatement
    private let limiter: AsyncLimiter

    /// Prepares the two inserts; the tables must exist (`forewarn cassandra init`).
    public init(client: CQLClient, keyspace: String, options: Options = Options()) async throws {
        self.client = client
        self.options = options
        limiter = AsyncLimiter(limit: options.maxConcurrentBatches)
        insertPrediction = try await client.prepare(PredictionSchema.insertPrediction(keyspace: keyspace))
        insertAnomaly = try await client.prepare(PredictionSchema.insertAnomaly(keyspace: keyspace))
    }

    public func write(_ rows: [PredictionRow]) async throws {
        let max = Swift.max(1, options.maxRowsPerBatch)
        var jobs: [(PreparedStatement, [[CQLValue]], Bool)] = insertPrediction
            .groupByPartition(rows.map(\.predictionValues), maxPerGroup: max).map { (insertPrediction, $0, false) }
        jobs += insertAnomaly.groupByPartition(rows.filter(\.isAnomaly).map(\.anomalyValues), maxPerGroup: max)
            .map { (insertAnomaly, $0, true) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            var pending = jobs[...]
            var running = 0
            while let job = pending.popFirst() {
                if running >= Swift.max(1, options.maxConcurrentBatches) {
                    try await group.next()
                    running -= 1
                }
                group.addTask { try await self.writeBatch(job.0, job.1, anomalies: job.2) }
                running += 1
            }
            try await group.waitForAll()
        }
    }

    private func writeBatch(_ statement: PreparedStatement, _ rows: [[CQLValue]], anomalies: Bool) async throws {
        await limiter.acquire()
        metrics.batchStarted()
        defer {
            metrics.batchEnded()
            limiter.release()
        }
        let clock = ContinuousClock()
        var attempt = 0
        while true {
            attempt += 1
            let start = clock.now
            do {
                try await client.batch(rows.map { (statement, $0) }, consistency: options.consistency, retry: .noRetries)
                metrics.recordBatch(rows: rows.count, anomalies: anomalies, seconds: (clock.now - start).inSeconds)
                return
            } catch {
                let retrying = options.retry.isRetryable(error) && attempt < options.retry.maxAttempts
                metrics.recordFailure(error, retrying: retrying)
                guard retrying else { throw error }
                try await Task.sleep(for: options.retry.delay(afterAttempt: attempt))
            }
        }
    }
}
