import CQL
import EventArchive

/// Every prediction of a batch into Cassandra (`predictions`, and
/// `anomalies_by_day` for the anomalies), as idempotent upserts keyed by event
/// id, so a batch written again after a failure leaves no duplicates.
/// `write` returns only when every row is acknowledged; while Cassandra is
/// down it keeps retrying, the batch's offsets wait, and consumption pauses.
public struct CassandraSink: BatchSink {
    public let writer: PredictionWriter
    /// Where the writer's totals are published after every write.
    public let metrics: ServeMetrics?
    /// Whether `close` closes the writer's client: only when `connect` opened it.
    private let ownsClient: Bool
    public var name: String { "cassandra" }

    public init(writer: PredictionWriter, metrics: ServeMetrics? = nil) {
        self.init(writer: writer, metrics: metrics, ownsClient: false)
    }

    private init(writer: PredictionWriter, metrics: ServeMetrics?, ownsClient: Bool) {
        self.writer = writer
        self.metrics = metrics
        self.ownsClient = ownsClient
        if let metrics { Self.observe(writer, into: metrics, sink: name) }
    }

    /// Publishes the writer's totals after every attempt, not only when a `write` returns (which, through
    /// an outage, is at its end); counts each retried failure as a sink error and raises the sink's
    /// readiness problem until an attempt succeeds. A failure the writer gives up on is thrown, and the
    /// scorer's fan-out counts that one. (One sink per writer: a second would count each attempt twice.)
    private static func observe(_ writer: PredictionWriter, into metrics: ServeMetrics, sink: String) {
        writer.metrics.onAttempt { attempt, totals in
            publish(totals, to: metrics)
            switch attempt {
            case .succeeded: metrics.clear("sink \(sink)")
            case .failed(let error, let retrying):
                metrics.raise("sink \(sink)", "write failed: \(error)")
                if retrying { metrics.add("forewarn_sink_errors_total", labels: "sink=\"\(sink)\"") }
            }
        }
    }

    /// Connects with the `cassandra` section of the serve configuration; the sink owns that connection.
    public static func connect(_ config: CassandraConfig, metrics: ServeMetrics? = nil) async throws -> CassandraSink {
        let client = try await CQLClient.connect(hosts: try config.hosts(), options: config.clientOptions())
        do {
            let writer = try await PredictionWriter(client: client, keyspace: config.keyspaceName)
            return CassandraSink(writer: writer, metrics: metrics, ownsClient: true)
        } catch {
            await client.close()
            throw error
        }
    }

    public func close() async throws {
        if ownsClient { await writer.client.close() }
    }

    public func write(_ batch: ScoredBatch) async throws {
        var rows: [PredictionRow] = []
        rows.reserveCapacity(batch.predictionsOut)
        for p in batch.predictions {
            guard let events = batch.events[p.stream] else { continue }
            let c = p.columns
            for i in 0..<events.count where !c.score[i].isNaN {
                rows.append(
                    PredictionRow(
                        eventID: events.eventIDs?[i] ?? "", stream: p.stream, series: events.series(at: i),
                        eventTime: events.time[i], modelName: p.model, modelVersion: Int32(clamping: p.version),
                        score: c.score[i], isAnomaly: c.anomaly[i], forecast: c.forecast.map { $0[i] }.flatMap(finite),
                        lower: c.lower.map { $0[i] }.flatMap(finite), upper: c.upper.map { $0[i] }.flatMap(finite)))
            }
        }
        guard !rows.isEmpty else { return }
        try await writer.write(rows)
    }

    private static func publish(_ s: WriterMetrics.Snapshot, to metrics: ServeMetrics) {
        metrics.setTotal("forewarn_cassandra_rows_total", Double(s.rowsWritten))
        metrics.setTotal("forewarn_cassandra_batches_total", Double(s.batchesWritten))
        metrics.setTotal("forewarn_cassandra_retries_total", Double(s.retries))
        metrics.setTotal("forewarn_cassandra_errors_total", Double(s.errors))
        metrics.setTotal("forewarn_cassandra_write_seconds_sum", s.latencySumSeconds)
        metrics.set("forewarn_cassandra_write_seconds_max", s.latencyMaxSeconds)
    }

    private func finite(_ v: Double) -> Double? { v.isFinite ? v : nil }
}
