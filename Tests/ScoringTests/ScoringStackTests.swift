import Foundation
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
        #expect(stack.metrics.gauge("forewarn_model_version", labels: "model=\"meters-if\"") == 1)
        let run = Task { try await stack.run() }
        run.cancel()
        try await run.value
        #expect(stack.metrics.gauge("forewarn_ready") == 0)
    }

    @Test func aBadMetricsAddressIsNamed() async throws {
        let f = try ModelFixture()
        try f.register("meters-if", seed: 1, fields: ["kwh", "voltage"], promote: true)
        let config = try f.config(extra: "metrics: nowhere")
        await #expect(throws: ListenAddressError.self) { _ = try await ScoringStack.assemble(config) }
        #expect(throws: ListenAddressError.self) { _ = try ListenAddress(parsing: "host:99999") }
        let address = try ListenAddress(parsing: "0.0.0.0:9464")
        #expect(address.host == "0.0.0.0" && address.port == 9464)
    }
}
