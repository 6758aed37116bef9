import Foundation
import ModelKinds
import ModelRegistry
import NIOPosix
import Scoring
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `GET /forecast` answers from the scorer's live state: the bands start after the latest event it scored.
@Test func theListenerForecastsFromTheLiveStateAndSaysWhyNot() async throws {
    let meters = try SimulatedMeters(series: 2, days: 3)
    try meters.train("fc", kind: SeasonalForecasterKind())
    let config = try meters.serveConfig(models: ["fc"])
    let watcher = try ModelWatcher(registry: Registry(root: meters.registry), models: config.models, inputs: config.inputs)
    let live = LiveForecasts()
    let scorer = BatchScorer(config: config, live: live)
    let batches = meters.kafkaBatches(size: 100)
    _ = scorer.score(batches[0], models: watcher.current)
    let server = try await MetricsServer.start(
        host: "127.0.0.1", port: 0, metrics: ServeMetrics(), forecasts: live, group: MultiThreadedEventLoopGroup.singleton)
    func get(_ path: String) async throws -> (Int, String) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(server.port)\(path)")!)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }
    let series = meters.live.series(at: 0)
    let firstBatchEnd = (0..<100).filter { meters.live.series(at: $0) == series }.map { meters.live.time[$0] }.max()!
    let (status, body) = try await get("/forecast?model=fc&series=\(series)&horizon=1h&coverage=0.8,0.95")
    #expect(status == 200, "\(body)")
    let answer = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
    let rows = try #require(answer["rows"] as? [[String: Any]])
    #expect(answer["model"] as? String == "fc" && answer["version"] as? Int == 1)
    #expect(rows.count == 12 * 2, "12 steps of 5 minutes × 2 fields")
    #expect(rows.first?["ts"] as? Int64 == firstBatchEnd + 300_000, "starts after the latest scored event")
    #expect(rows.allSatisfy { ($0["lower_0.95"] as? Double ?? .nan) <= ($0["lower_0.8"] as? Double ?? .nan) })

    // More events move the start on.
    _ = scorer.score(batches[1], models: watcher.current)
    let later = try #require(try JSONSerialization.jsonObject(with: Data(try await get("/forecast?model=fc&series=\(series)&horizon=5m").1.utf8)) as? [String: Any])
    #expect(((later["rows"] as? [[String: Any]])?.first?["ts"] as? Int64 ?? 0) > firstBatchEnd + 300_000)
    #expect((later["rows"] as? [[String: Any]])?.first?["lower"] is Double, "the model's own coverage")

    #expect(try await get("/forecast?model=nope&series=\(series)&horizon=1h").0 == 404)
    #expect(try await get("/forecast?model=fc&series=nowhere&horizon=1h").0 == 404)
    #expect(try await get("/forecast?model=fc&series=\(series)&horizon=soon").0 == 400)
    #expect(try await get("/forecast?model=fc&series=\(series)&horizon=1h&coverage=2").0 == 400)
    #expect(try await get("/forecast?model=fc").0 == 400)
    scorer.resetState()
    #expect(try await get("/forecast?model=fc&series=\(series)&horizon=1h").0 == 404, "a rebalance forgets the state")
    try await server.close()
}
