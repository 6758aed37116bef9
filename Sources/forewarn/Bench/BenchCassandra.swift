import ArgumentParser
import Basics
import CQL
import CQLTestNode
import Foundation
import Scoring

struct BenchCassandra: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cassandra",
        abstract: "Write synthetic predictions through PredictionWriter; report rows/s.",
        discussion: """
            Starts the in-memory CQL test node on loopback (or uses --contact-point),
            creates the tables, then hands the writer --chunk predictions at a time, as
            the scorer does, and waits for each chunk to be acknowledged. Rows/s counts
            predictions; anomalous ones (1%) are written a second time to
            anomalies_by_day, reported separately.

              swift build -c release && .build/release/forewarn bench cassandra
              .build/release/forewarn bench cassandra --rows 2000000 --batch 200 \\
                  --concurrency 64 --json
            """
    )

    @Option(help: "Predictions to write.")
    var rows: Int = 1_000_000

    @Option(help: "Series (each day of a series is one partition).")
    var series: Int = 1000

    @Option(help: "Predictions handed to the writer per call (a scorer batch).")
    var chunk: Int = 20_000

    @Option(help: "Rows per unlogged batch.")
    var batch: Int = 100

    @Option(help: "Batches in flight.")
    var concurrency: Int = 32

    @Option(help: "Connections to the node.")
    var connections: Int = 2

    @Option(help: ArgumentHelp("Benchmark an existing node instead (host:port); its keyspace forewarn_bench is used.", valueName: "host:port"))
    var contactPoint: String?

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func validate() throws {
        for (name, v) in [("rows", rows), ("series", series), ("chunk", chunk), ("batch", batch), ("concurrency", concurrency)] where v < 1 {
            throw ValidationError("--\(name) must be at least 1")
        }
        guard (1...64).contains(connections) else { throw ValidationError("--connections must be in 1...64") }
    }

    func run() async throws {
        var node: TestNode?
        let config: CassandraConfig
        if let contactPoint {
            config = CassandraConfig(contactPoints: [contactPoint], keyspace: "forewarn_bench")
        } else {
            let started = try await TestNode.start()
            node = started
            config = CassandraConfig(contactPoints: [started.address], keyspace: "forewarn_bench")
        }
        var options = config.clientOptions()
        options.connectionsPerHost = connections
        let client = try await CQLClient.connect(hosts: try config.hosts(), options: options)
        for statement in PredictionSchema.statements(keyspace: config.keyspaceName, replication: try config.replicationMap()) {
            try await client.query(statement)
        }
        var writerOptions = PredictionWriter.Options()
        writerOptions.maxRowsPerBatch = batch
        writerOptions.maxConcurrentBatches = concurrency
        let writer = try await PredictionWriter(client: client, keyspace: config.keyspaceName, options: writerOptions)

        let clock = ContinuousClock()
        var generateSeconds = 0.0
        let start = clock.now
        var written = 0
        let progress = ProgressDisplay(json: json)
        defer { progress.close() }
        progress.start("writing predictions", total: rows, unit: .rows)
        while written < rows {
            let g = clock.now
            let part = makeRows(from: written, count: min(chunk, rows - written))
            generateSeconds += (clock.now - g).inSeconds
            try await writer.write(part)
            written += part.count
            progress.update(written)
        }
        progress.finish()
        let seconds = (clock.now - start).inSeconds - generateSeconds
        let m = writer.metrics.snapshot
        await client.close()
        await node?.stop()
        let rate = Double(rows) / seconds
        let meanMs = m.latencyCount > 0 ? m.latencySumSeconds / Double(m.latencyCount) * 1000 : 0
        if json {
            try printJSON([
                "rows": rows, "anomaly_rows": m.anomaliesWritten, "seconds": seconds, "rows_per_second": rate,
                "batches": m.batchesWritten, "batch_rows": batch, "concurrency": concurrency, "connections": connections,
                "mean_batch_ms": meanMs, "max_batch_ms": m.latencyMaxSeconds * 1000, "retries": m.retries,
                "node": contactPoint ?? "in-process test node",
            ])
        } else {
            print(String(format: "%d predictions (+%d anomaly rows) in %.2f s: %.0f predictions/s", rows, m.anomaliesWritten, seconds, rate))
            print(String(format: "%d batches of up to %d rows, %d in flight over %d connections; batch latency mean %.2f ms, max %.1f ms",
                m.batchesWritten, batch, concurrency, connections, meanMs, m.latencyMaxSeconds * 1000))
        }
    }

    private func makeRows(from first: Int, count: Int) -> [PredictionRow] {
        let start: Int64 = 1_767_225_600_000
        return (first..<first + count).map { i in
            let s = i % series
            let t = start + Int64(i / series) * 60_000
            let score = Double((i &* 2_654_435_761) % 1000) / 1000
            return PredictionRow(eventID: "e\(i)", stream: "bench", series: "s\(s)", eventTime: t, modelName: "bench-if",
                modelVersion: 1, score: score, isAnomaly: score >= 0.99)
        }
    }
}

