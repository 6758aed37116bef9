import CQL
import CQLTestNode
import Scoring
import Testing

@Suite struct PredictionWriterTests {
    static func predictions(count: Int) -> [PredictionRow] {
        (0..<count).map { (i: Int) -> PredictionRow in
            let time: Int64 = 1_767_225_600_000 + Int64(i) * 3_600_000
            let even = i % 2 == 0
            let forecast: Double? = even ? Double(i) : nil
            return PredictionRow(eventID: "ev-\(i)", stream: "meters", series: "m\(i % 5)", eventTime: time,
                modelName: "meters-if", modelVersion: 3, score: Double(i % 100) / 100, isAnomaly: i % 10 == 0,
                forecast: forecast, lower: forecast.map { $0 - 1 }, upper: forecast.map { $0 + 1 })
        }
    }

    @Test func everyPredictionArrivesOnceThroughFaultsAndReplays() async throws {
        let f = try await NodeFixture.start()
        defer { Task { await f.stop() } }
        try await f.createSchema()
        var options = PredictionWriter.Options()
        options.maxRowsPerBatch = 7
        options.maxConcurrentBatches = 4
        options.retry = RetryPolicy(maxAttempts: Int.max, initialBackoff: .milliseconds(1), maxBackoff: .milliseconds(4))
        let writer = try await PredictionWriter(client: f.client, keyspace: "forewarn", options: options)
        let rows = Self.predictions(count: 600)
        f.node.faults.inject(.writeTimeout, count: 5)
        f.node.faults.inject(.overloaded, count: 3)
        f.node.faults.inject(.dropConnection, count: 2)
        f.node.faults.inject(.unavailable, count: 4)
        try await writer.write(Array(rows[0..<400]))
        f.node.forgetPreparedStatements()
        try await writer.write(Array(rows[300..<600]))  // 300..<400 again: a replay after a crash
        #expect(f.node.faults.pendingCount == 0)
        #expect(f.node.rowCount(keyspace: "forewarn", table: "predictions") == 600)
        #expect(f.node.rowCount(keyspace: "forewarn", table: "anomalies_by_day") == 60)
        let m = writer.metrics.snapshot
        // A dropped connection also fails the other batches in flight on it, so at least one retry per fault.
        #expect(m.retries >= 14 && m.errors == m.retries)
        #expect(m.predictionsWritten == 700 && m.anomaliesWritten == 70)
        #expect(m.latencyCount == m.batchesWritten && m.latencyBuckets.reduce(0, +) == m.batchesWritten)
    }

    @Test func storedValuesReadBackAsWritten() async throws {
        let f = try await NodeFixture.start()
        defer { Task { await f.stop() } }
        try await f.createSchema()
        let writer = try await PredictionWriter(client: f.client, keyspace: "forewarn")
        let rows = Self.predictions(count: 50)
        try await writer.write(rows)
        let day = rows[0].day
        let stored = try await f.client.select(
            "SELECT event_id, event_time, model_name, model_version, score, is_anomaly, forecast, lower, upper FROM forewarn.predictions WHERE series = ? AND day = ?",
            [.text("m0"), .date(day)])
        let expected = rows.filter { $0.series == "m0" && $0.day == day }.sorted { $0.eventTime < $1.eventTime }
        #expect(stored.rows.count == expected.count && !expected.isEmpty)
        for (row, want) in zip(stored.namedRows, expected) {
            #expect(row["event_id"] == .text(want.eventID) && row["event_time"] == .timestamp(want.eventTime))
            #expect(row["model_version"] == .int(want.modelVersion) && row["score"] == .double(want.score))
            #expect(row["is_anomaly"] == .boolean(want.isAnomaly) && row["forecast"] == (want.forecast.map(CQLValue.double) ?? .null))
        }
        let anomalies = try await f.client.select("SELECT series, event_id FROM forewarn.anomalies_by_day WHERE stream = ? AND day = ?",
            [.text("meters"), .date(day)])
        #expect(anomalies.rows.count == rows.filter { $0.isAnomaly && $0.day == day }.count)
    }

    @Test func concurrentWritesShareTheBatchLimit() async throws {
        let f = try await NodeFixture.start()
        defer { Task { await f.stop() } }
        try await f.createSchema()
        var options = PredictionWriter.Options()
        options.maxRowsPerBatch = 2
        options.maxConcurrentBatches = 3
        let writer = try await PredictionWriter(client: f.client, keyspace: "forewarn", options: options)
        let rows = Self.predictions(count: 400)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for part in 0..<4 { group.addTask { try await writer.write(Array(rows[(part * 100)..<(part * 100 + 100)])) } }
            try await group.waitForAll()
        }
        let m = writer.metrics.snapshot
        #expect(m.maxInFlightBatches <= 3 && m.maxInFlightBatches >= 1 && m.inFlightBatches == 0)
        #expect(f.node.rowCount(keyspace: "forewarn", table: "predictions") == 400)
    }

    @Test func aNonTransientErrorStopsTheWrite() async throws {
        let f = try await NodeFixture.start()
        defer { Task { await f.stop() } }
        try await f.createSchema()
        let writer = try await PredictionWriter(client: f.client, keyspace: "forewarn")
        f.node.faults.inject(.error(CQLServerError(code: .invalid, message: "bad")), count: 1)
        await #expect(throws: CQLServerError.self) { try await writer.write(Self.predictions(count: 3)) }
    }

    @Test func daysAreUTCDaysSinceTheEpoch() {
        func row(_ t: Int64) -> PredictionRow {
            PredictionRow(eventID: "e", stream: "s", series: "x", eventTime: t, modelName: "m", modelVersion: 1, score: 0, isAnomaly: false)
        }
        #expect(row(0).day == 0 && row(86_399_999).day == 0 && row(86_400_000).day == 1 && row(-1).day == -1)
        #expect(row(1_767_225_600_000).day == 20454)
    }
}
