import Logging

/// Every sink of the scorer, written in order for each batch, with the retry
/// and failure accounting both delivery modes share.
struct SinkFanOut: Sendable {
    let sinks: [BatchSink]
    let metrics: ServeMetrics
    let logger: Logger

    init(sinks: [BatchSink], metrics: ServeMetrics, logger: Logger = Logger(label: "forewarn.serve")) {
        self.sinks = sinks
        self.metrics = metrics
        self.logger = logger
    }

    /// Writes the batch to every sink; a sink that fails is written again (backoff from 50 ms
    /// doubling to 5 s) until it succeeds, the others are not. Each failure is counted and makes the
    /// scorer not ready until that sink writes again. False only when cancelled meanwhile.
    func writeUntilDelivered(_ scored: ScoredBatch) async -> Bool {
        var backoff = Duration.milliseconds(50)
        var remaining = sinks
        while !remaining.isEmpty {
            var failed: [BatchSink] = []
            for sink in remaining {
                do {
                    try await sink.write(scored)
                    metrics.clear("sink \(sink.name)")
                } catch {
                    // A stop that gave up on this batch cancelled it (its sends fail as purged): not a sink failure.
                    if Task.isCancelled { return false }
                    metrics.raise("sink \(sink.name)", "write failed: \(error)")
                    metrics.add("forewarn_sink_errors_total", labels: "sink=\"\(sink.name)\"")
                    logger.warning("sink write failed; retrying", metadata: ["sink": "\(sink.name)", "error": "\(error)"])
                    failed.append(sink)
                }
            }
            remaining = failed
            if remaining.isEmpty { break }
            do { try await Task.sleep(for: backoff) } catch { return false }
            backoff = min(backoff * 2, .seconds(5))
        }
        return true
    }

    /// Writes the batch to every sink once; the first failure throws (a transaction is retried whole).
    func writeOnce(_ scored: ScoredBatch) async throws {
        for sink in sinks { try await sink.write(scored) }
    }

    /// Closes every sink; a failure is logged, and the others still close.
    func closeAll() async {
        for sink in sinks {
            do { try await sink.close() } catch {
                logger.error("closing a sink failed", metadata: ["sink": "\(sink.name)", "error": "\(error)"])
            }
        }
    }
}
