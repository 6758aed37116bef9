import Foundation
import Kafka
import Scoring
import Testing

/// The run of `task`, given at most `seconds`: its error (nil when it returned), or `.timedOut`.
enum RunEnd: Sendable {
    case returned, threw(any Error), timedOut
}

func end(of task: Task<Void, Error>, within seconds: Double) async -> RunEnd {
    let outcome = Recorder<RunEnd>()
    Task {
        let end: RunEnd
        do { try await task.value; end = .returned } catch { end = .threw(error) }
        outcome.append(end)
    }
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while ContinuousClock.now < deadline {
        if let end = outcome.values.first { return end }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return .timedOut
}

/// Stopping while the brokers are gone, and losing them for good (issue 15, item 4).
@Suite(.serialized) struct ServeShutdownTests {
    @Test(arguments: ["at-least-once", "exactly-once"])
    func aStopWithTheBrokersGoneAndABatchUndeliveredEndsWithinTheShutdownTimeout(delivery: String) async throws {
        let h = try ServeHarness()
        try h.register(seed: 1, promote: true)
        try await h.send(0..<500)
        // Every produce request of the scorer is refused (retriably) for minutes: its first batch never
        // gets its delivery reports, so it is never committed.
        h.cluster.pushRequestErrors(.produce, [KafkaErrorCode](repeating: .notEnoughReplicas, count: 3_000))
        let metrics = ServeMetrics()
        try await h.start(try h.config(extra: "shutdown_timeout: 2s\ndelivery: \(delivery)"), metrics: metrics)
        try await waitFor(seconds: 20) { metrics.gauge("forewarn_ready") == 1 }
        try await Task.sleep(for: .seconds(2))
        try h.cluster.setBrokerDown(1)
        try await Task.sleep(for: .milliseconds(300))
        h.task?.cancel()
        // Here the stop must end, and with the right account; how fast is proved in a process of its own
        // (ServeCLITests, kafka-dev killed: under 12 s). In this process the rest of the suite's synchronous
        // tests (CLI children waited for) can hold every cooperative thread for a minute or more, and the
        // stop's timers need one, so the bound here is loose.
        let ended = await end(of: try #require(h.task), within: 180)
        guard case .threw(let error) = ended, let stop = error as? ServeStop else {
            Issue.record("the stop did not end with ServeStop within 180 s: \(ended)")
            return
        }
        #expect(stop.exitStatus == 7)
        let consumed = stop.uncommitted.map(\.consumed).reduce(0, +)
        // At least once, every batch was consumed while the first waited; exactly once, the first blocks the loop.
        #expect(delivery == "exactly-once" ? consumed > 0 : consumed == 500, "\(stop)")
        #expect(stop.uncommitted.allSatisfy { $0.committed == nil }, "\(stop)")
        try h.cluster.setBrokerUp(1)
    }

    @Test func aScorerCutOffFromItsBrokersLongerThanAllowedStopsWithStatus5() async throws {
        let (h, metrics) = try await ServeHarness.serving(extra: "shutdown_timeout: 2s\nbroker_loss_exit_after: 3s")
        try await h.send(0..<300)
        try await waitFor(seconds: 20) { metrics.counter("forewarn_events_in_total") == 300 }
        try h.cluster.setBrokerDown(1)
        let ended = await end(of: try #require(h.task), within: 30)
        guard case .threw(let error) = ended, let stop = error as? ServeStop else {
            Issue.record("the scorer did not stop by itself within 30 s: \(ended)")
            return
        }
        #expect(stop.exitStatus == 5)
        #expect(stop.uncommitted.isEmpty, "everything consumed was committed before the brokers went: \(stop)")
        try h.cluster.setBrokerUp(1)
    }
}
