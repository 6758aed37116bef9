import Basics
import Foundation

extension ServeMetrics {
    /// Counts a batch whose offsets were just committed, with its poll-to-commit
    /// time and the end-to-end latency of its events.
    func recordDelivered(_ scored: ScoredBatch, polledAt: ContinuousClock.Instant) {
        add("forewarn_events_in_total", Double(scored.eventsIn))
        // Per model, so a dashboard shows each model's anomaly rate; `sum()` gives the totals.
        for (model, counts) in scored.perModel.sorted(by: { $0.key < $1.key }) {
            add("forewarn_predictions_out_total", Double(counts.predictions), labels: "model=\"\(model)\"")
            add("forewarn_anomalies_total", Double(counts.anomalies), labels: "model=\"\(model)\"")
        }
        add("forewarn_dead_letters_total", Double(scored.deadLetters))
        add("forewarn_batches_total")
        add("forewarn_commits_total")
        observe("forewarn_batch_seconds", seconds: (ContinuousClock.now - polledAt).inSeconds)
        if let oldest = scored.oldestTimestamp {
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            observe("forewarn_event_latency_seconds", seconds: Double(max(0, now - oldest)) / 1000, times: scored.eventsIn)
        }
    }
}
