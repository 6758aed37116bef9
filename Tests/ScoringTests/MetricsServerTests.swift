import Foundation
import NIOPosix
@testable import Scoring
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
    #expect(body.contains("forewarn_batch_seconds_bucket{le=\"0.005\"} 2\n"))
    #expect(body.contains("# TYPE forewarn_batch_seconds histogram"))
    #expect(body.contains("# HELP forewarn_events_in_total Events consumed from Kafka\n"))
    #expect(body.contains("forewarn_dead_letters_total 0\n"), "an unlabelled counter is exported before its first event")
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

/// The exposition comes from swift-prometheus through swift-metrics handlers; the copy the scorer reads agrees.
@Test func metricsGoThroughSwiftMetricsAndKeepTheirNamesAndLabels() {
    let metrics = ServeMetrics()
    metrics.add("forewarn_anomalies_total", 3, labels: "model=\"meters-if\"")
    metrics.add("forewarn_anomalies_total", 2, labels: "model=\"meters-if\"")
    metrics.set("forewarn_model_alias_version", 4, labels: "model=\"a\\\"b\",alias=\"production\"")
    metrics.setTotal("forewarn_cassandra_rows_total", 10)
    metrics.setTotal("forewarn_cassandra_rows_total", 4)  // a new client: counted on, never down
    let body = metrics.render()
    #expect(body.contains("forewarn_anomalies_total{model=\"meters-if\"} 5.0\n"), "\(body)")
    #expect(body.contains("forewarn_model_alias_version{model=\"a\\\"b\",alias=\"production\"} 4.0\n"), "\(body)")
    #expect(body.contains("forewarn_cassandra_rows_total 14.0\n"), "\(body)")
    #expect(metrics.counter("forewarn_anomalies_total", labels: "model=\"meters-if\"") == 5)
    #expect(metrics.counter("forewarn_cassandra_rows_total") == 4, "reads see the client's own total")
    #expect(ServeMetrics.dimensions("topic=\"t\",partition=\"3\"").map { "\($0.0)=\($0.1)" } == ["topic=t", "partition=3"])
}
