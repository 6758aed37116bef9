import ConfigFiles
import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import Scoring
import Testing

/// One constructor builds what the configuration names.
@Suite(.serialized) struct ScoringStackTests {
    @Test func theStackBuildsWhatTheConfigurationNames() async throws {
        let f = try ModelFixture()
        try f.register("meters-if", seed: 1, fields: ["kwh", "voltage"], promote: true)
        let archive = f.dir.appendingPathComponent("archive").path
        let config = try f.config(extra: "archive: \(archive)\nmetrics: 127.0.0.1:0")
        var options = ScoringStack.Options()
        options.embeddedPartitions = 3
        let announced = Recorder<String>()
        options.onEmbeddedCluster = { announced.append($0.bootstrapServers) }
        let stack = try await ScoringStack.assemble(config, options: options)
        let cluster = try #require(stack.cluster, "brokers: embedded starts the mock cluster")
        #expect(stack.bootstrapServers == cluster.bootstrapServers && announced.values == [cluster.bootstrapServers])
        #expect(stack.sinks.map(\.name) == ["archive", "kafka"])
        let server = try #require(stack.metricsServer)
        #expect(server.port > 0)
        let url = URL(string: "http://127.0.0.1:\(server.port)/forecast?model=meters-if&series=m1&horizon=1h")!
        let (body, response) = try await URLSession.shared.data(from: url)
        #expect((response as? HTTPURLResponse)?.statusCode == 404, "no forecaster has scored here: \(String(decoding: body, as: UTF8.self))")
        #expect(stack.metrics.gauge("forewarn_model_version", labels: "model=\"meters-if\"") == 1)
        let run = Task { try await stack.run() }
        run.cancel()
        try await run.value
        #expect(stack.metrics.gauge("forewarn_ready") == 0)
    }

    @Test func aBadMetricsAddressIsNamed() async throws {
        let f = try ModelFixture()
        try f.register("meters-if", seed: 1, fields: ["kwh", "voltage"], promote: true)
        // Refused when the configuration is read, before anything starts (the way `config check` reads it).
        #expect(throws: ConfigError.self) { try f.config(extra: "metrics: nowhere") }
        for bad in ["host:99999", ":19465", "19466", "bogus", "a b:1", "[]:1"] {
            #expect(throws: ListenAddressError.self, "\(bad)") { _ = try ListenAddress(parsing: bad) }
        }
        let address = try ListenAddress(parsing: "0.0.0.0:9464")
        #expect(address.host == "0.0.0.0" && address.port == 9464 && address.description == "0.0.0.0:9464")
        let v6 = try ListenAddress(parsing: "[::1]:0")
        #expect(v6.host == "::1" && v6.port == 0 && v6.description == "[::1]:0")
    }
}
