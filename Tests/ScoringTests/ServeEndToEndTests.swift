import Foundation
import Kafka
import Scoring
import Testing

/// The scorer service against librdkafka's mock cluster: events in, predictions out.
@Suite(.serialized) struct ServeEndToEndTests {
    @Test func everyEventGetsOnePredictionAndBadEventsAreDeadLettered() async throws {
        let h = try ServeHarness()
        try h.register(seed: 1, promote: true)
        let metrics = ServeMetrics()
        try await h.start(try h.config(), metrics: metrics)
        try await h.send(0..<1_000)
        // A flood of malformed events between good ones: none stops the scorer, all are dead-lettered.
        let flood = (0..<1_000).map { i in ["not json \(i)", "{\"ts\":\(i),\"meter\":\"m\",\"kwh\":\"x\",\"voltage\":1,\"reading_id\":\"bad\(i)\"}", "{\"meter\":\"m\"}", "[1,2]", "{\"ts\":1,\"meter\":{\"a\":1}}"][i % 5] }
        try await h.sendRaw(flood)
        try await h.send(1_000..<2_000)
        let predictions = try await h.read(h.output, count: 2_000)
        let dead = try await h.read(h.dead, count: 1_000)
        try await h.stop()

        let ids = predictions.map { $0.json["event_id"] as? String ?? "" }
        #expect(ids.count == 2_000 && Set(ids).count == 2_000, "one prediction per event, none twice")
        #expect(predictions.allSatisfy { $0.json["version"] as? Int == 1 && $0.json["model"] as? String == "meters-if" })
        let spikes = predictions.filter { $0.json["anomaly"] as? Bool == true }.compactMap { $0.json["event_id"] as? String }
        #expect(spikes.contains("r97") && spikes.contains("r194"))
        #expect(predictions.allSatisfy { String(decoding: $0.key ?? [], as: UTF8.self) == $0.json["series"] as? String })
        #expect(dead.count == 1_000)
        let reasons = dead.map { m in String(decoding: m.headers.first { $0.name == "forewarn-error" }?.value ?? [], as: UTF8.self) }
        #expect(reasons.contains { $0.hasPrefix("invalid JSON") })
        #expect(reasons.contains { $0.contains("'kwh' is not a number") })
        #expect(reasons.contains { $0.contains("missing field 'ts'") })
        try await waitFor { metrics.counter("forewarn_events_in_total") == 3_000 }
        #expect(metrics.counter("forewarn_dead_letters_total") == 1_000)
    }

    @Test func theLagMetricComesBackToZeroOnceEveryEventIsCommitted() async throws {
        let h = try ServeHarness(partitions: 2)
        try h.register(seed: 1, promote: true)
        let metrics = ServeMetrics()
        try await h.start(try h.config(), metrics: metrics)
        try await h.send(0..<1_000)
        _ = try await h.read(h.output, count: 1_000)
        try await waitFor { metrics.counter("forewarn_events_in_total") == 1_000 }
        // Without the scorer's own commits subtracted, each partition would show its ~500 events as lag.
        func lag(_ p: Int) -> Double? { metrics.gauge("forewarn_consumer_lag", labels: "topic=\"meters\",partition=\"\(p)\"") }
        try await waitFor { lag(0) == 0 && lag(1) == 0 }
        try await h.stop()
    }

    @Test func aPromotionAndARollbackSwitchVersionsBetweenBatches() async throws {
        let h = try ServeHarness()
        try h.register(seed: 1, promote: true)
        let v2 = try h.register(seed: 2, promote: false)
        let metrics = ServeMetrics()
        try await h.start(try h.config(), metrics: metrics)
        try await h.send(0..<1_000)
        _ = try await h.read(h.output, count: 1_000)
        try h.registry.promote(name: "meters-if", version: v2)
        try await waitFor { metrics.counter("forewarn_model_reloads_total", labels: "model=\"meters-if\"") >= 1 }
        try await h.send(1_000..<2_000)
        _ = try await h.read(h.output, count: 2_000)
        _ = try h.registry.rollback(name: "meters-if")
        try await waitFor { metrics.counter("forewarn_model_reloads_total", labels: "model=\"meters-if\"") >= 2 }
        try await h.send(2_000..<3_000)
        let predictions = try await h.read(h.output, count: 3_000)
        try await h.stop()

        var versionByEvent: [Int: Int] = [:]
        for p in predictions {
            let id = Int((p.json["event_id"] as? String ?? "r-1").dropFirst()) ?? -1
            #expect(versionByEvent[id] == nil, "event \(id) scored twice")
            versionByEvent[id] = p.json["version"] as? Int
        }
        #expect(versionByEvent.count == 3_000)
        #expect((0..<1_000).allSatisfy { versionByEvent[$0] == 1 })
        #expect((1_000..<2_000).allSatisfy { versionByEvent[$0] == 2 })
        #expect((2_000..<3_000).allSatisfy { versionByEvent[$0] == 1 })
    }

    @Test func aVersionThatDoesNotFitTheStreamIsRefusedAndTheOldOneServes() async throws {
        let h = try ServeHarness()
        try h.register(seed: 1, promote: true)
        let metrics = ServeMetrics()
        try await h.start(try h.config(), metrics: metrics)
        // A version fitted on a field the stream does not have.
        let wrong = try h.register(seed: 3, promote: false, fields: ["kwh", "current"])
        try h.registry.promote(name: "meters-if", version: wrong)
        try await waitFor { metrics.counter("forewarn_model_reloads_refused_total", labels: "model=\"meters-if\"") >= 1 }
        try await h.send(0..<300)
        let predictions = try await h.read(h.output, count: 300)
        try await h.stop()
        #expect(predictions.count == 300 && predictions.allSatisfy { $0.json["version"] as? Int == 1 })
    }
}

/// Polls `condition` every 20 ms for up to `seconds`; fails the test if it never holds.
func waitFor(seconds: Int = 10, _ condition: () -> Bool, sourceLocation: SourceLocation = #_sourceLocation) async throws {
    for _ in 0..<(seconds * 50) {
        if condition() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    Issue.record("condition not met within \(seconds) s", sourceLocation: sourceLocation)
}
