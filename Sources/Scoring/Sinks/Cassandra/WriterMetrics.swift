import Synchronization

/// Counters and a latency histogram of a `PredictionWriter`, safe to read from any task.
public final class WriterMetrics: Sendable {
    /// Upper bounds, in seconds, of the latency buckets; a last bucket takes the rest.
    public static let latencyBounds: [Double] = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5]

    public struct Snapshot: Sendable, Equatable {
        /// Rows acknowledged, both tables counted (a prediction and its anomaly are two rows).
        public var rowsWritten = 0
        public var predictionsWritten = 0
        public var anomaliesWritten = 0
        public var batchesWritten = 0
        /// Failed batch attempts, retried or not.
        public var errors = 0
        public var retries = 0
        public var latencyCount = 0
        public var latencySumSeconds = 0.0
        public var latencyMaxSeconds = 0.0
        public var latencyBuckets = [Int](repeating: 0, count: WriterMetrics.latencyBounds.count + 1)
        /// Batches being written now, and the most there ever were at once.
        public var inFlightBatches = 0
        public var maxInFlightBatches = 0
    }

    /// How one batch attempt ended, as observers see it.
    public enum Attempt: Sendable {
        case succeeded
        /// `retrying`: the writer tries again (so `write` does not throw for it).
        case failed(any Error, retrying: Bool)
    }

    private let box = Mutex(Snapshot())
    private let observers = Mutex<[@Sendable (Attempt, Snapshot) -> Void]>([])
    public init() {}
    public var snapshot: Snapshot { box.withLock { $0 } }

    /// Calls `observer` after every batch attempt, on the writing task, with the totals as of that attempt.
    /// A `write` that retries through an outage returns only at its end, so this is how the scorer counts
    /// the failures (and calls the sink failing) while it lasts.
    public func onAttempt(_ observer: @escaping @Sendable (Attempt, Snapshot) -> Void) {
        observers.withLock { $0.append(observer) }
    }

    private func notify(_ attempt: Attempt, _ snapshot: Snapshot) {
        for observer in observers.withLock({ $0 }) { observer(attempt, snapshot) }
    }

    func recordBatch(rows: Int, anomalies: Bool, seconds: Double) {
        let now = box.withLock { s in
            s.rowsWritten += rows
            if anomalies { s.anomaliesWritten += rows } else { s.predictionsWritten += rows }
            s.batchesWritten += 1
            s.latencyCount += 1
            s.latencySumSeconds += seconds
            s.latencyMaxSeconds = max(s.latencyMaxSeconds, seconds)
            let i = WriterMetrics.latencyBounds.firstIndex { seconds <= $0 } ?? WriterMetrics.latencyBounds.count
            s.latencyBuckets[i] += 1
            return s
        }
        notify(.succeeded, now)
    }

    func batchStarted() {
        box.withLock { s in
            s.inFlightBatches += 1
            s.maxInFlightBatches = max(s.maxInFlightBatches, s.inFlightBatches)
        }
    }

    func batchEnded() { box.withLock { $0.inFlightBatches -= 1 } }

    func recordFailure(_ error: any Error, retrying: Bool) {
        let now = box.withLock { s in
            s.errors += 1
            if retrying { s.retries += 1 }
            return s
        }
        notify(.failed(error, retrying: retrying), now)
    }
}
