import Kafka
import Logging

/// Keeps `forewarn_consumer_lag{topic,partition}` live: every `interval`, the high watermark minus the
/// committed offset of every assigned partition.
///
/// While the loop is fetching, the client's cached watermarks are fresh and this scorer's own commits are
/// known, so no broker is asked (a query's round trips would share the connection with fetches). When
/// nothing was fetched (consumption paused behind a failing sink, an idle topic, lost brokers) or a
/// partition's committed offset is not known yet (just after a start or an assignment), the brokers are
/// asked for the watermarks and the group's committed offsets; a query they do not answer raises the
/// `brokers` readiness problem, one they answer clears it.
struct LagReporter: Sendable {
    let consumer: KafkaConsumer
    let committed: PartitionOffsets
    let activity: FetchActivity
    let metrics: ServeMetrics
    var interval = Duration.seconds(2)

    func run() async {
        while !Task.isCancelled {
            await report()
            try? await Task.sleep(for: interval)
        }
    }

    func report() async {
        guard let assigned = try? consumer.assignment(), !assigned.isEmpty else { return }
        let known = committed.snapshot
        let fresh = activity.take() && assigned.allSatisfy { known[$0] != nil }
        var lags: [KafkaPartitionLag]
        if fresh, let cached = try? consumer.cachedLag(committed: known) {
            lags = cached
        } else {
            do {
                lags = try await consumer.lag(timeout: interval)
            } catch {
                metrics.raise("brokers", "the brokers did not answer a lag query: \(error)")
                return
            }
            metrics.clear("brokers")
            committed.record(lags.compactMap { l in l.committed.map { KafkaPartitionOffset(topic: l.topic, partition: l.partition, offset: $0) } })
            let merged = committed.snapshot
            for i in lags.indices { lags[i].committed = merged[KafkaTopicPartition(topic: lags[i].topic, partition: lags[i].partition)] }
        }
        for l in lags {
            metrics.set("forewarn_consumer_lag", Double(l.lag), labels: "topic=\"\(l.topic)\",partition=\"\(l.partition)\"")
        }
    }
}
