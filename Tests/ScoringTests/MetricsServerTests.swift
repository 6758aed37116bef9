import Foundation
import NIOPosix
import Scoring
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The HTTP listener answers Prometheus scrapes and health probes.
@Test func metricsHealthAndReadinessOverHTTP() async throws {
    let metrics = ServeMetrics()
    metrics.add("forewarn_events_in_total", 42)
    metrics.set("forewarn_model_version", 3, labels: "model=\"m\"")
    metrics.observe("forewarn_batch_seconds", seconds: 0.004, times: 2)
    let server = try await MetricsServer.start(host: "127.0.0.1", port: 0, metrics: metrics, group: MultiThreadedEventLoopGroup.singleton)
    func get(_ path: String) async throws -> (Int, String) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(server.port)\(path)")!)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }
    let (status, body) = try await get("/metrics")
    #expect(status == 200)
    #expect(body.contains("forewarn_events_in_total 42.0"))
    #expect(body.contains("forewarn_model_version{model=\"m\"} 3.0"))
    #expect(body.contains("forewarn_batch_seconds_bucket{le=\"0.005\"} 2.0"))
    #expect(body.contains("# TYPE forewarn_batch_seconds histogram"))
    #expect(try await get("/healthz").0 == 200)
    #expect(try await get("/readyz").0 == 503, "not ready before partitions are assigned")
    metrics.set("forewarn_ready", 1)
    #expect(try await get("/readyz").0 == 200)
    metrics.raise("sink cassandra", "write failed: unavailable")
    let (notReady, reasons) = try await get("/readyz")
    #expect(notReady == 503 && metrics.gauge("forewarn_ready") == 0)
    #expect(reasons.hasPrefix("not ready\nsink cassandra: write failed: unavailable (for "), "\(reasons)")
    metrics.clear("sink cassandra")
    #expect(try await get("/readyz").0 == 200)
    #expect(try await get("/nope").0 == 404)
    try await server.close()
}
