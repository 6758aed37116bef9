import Foundation
import Logging
import ModelRegistry
import Testing

@testable import Scoring

/// The registry and /metrics say which version a scorer really serves, next to what its alias names.
@Suite struct ServingReporterTests {
    @Test func aRefusedPromotionShowsAsTheOldVersionServedAgainstTheAlias() throws {
        let f = try ModelFixture()
        try f.register("meters-if", seed: 1, fields: ["kwh", "voltage"], promote: true)
        let config = try f.config()
        let watcher = try ModelWatcher(registry: f.registry, models: config.models, inputs: config.inputs)
        let metrics = ServeMetrics()
        let reporter = ServingReporter(watcher: watcher, metrics: metrics, logger: Logger(label: "test"), instance: "scorer-a")
        var last: [String: ServingRecord] = [:]
        reporter.report(&last, all: false)
        var records = f.registry.serving(of: "meters-if")
        #expect(records.count == 1 && records.first?.version == 1 && records.first?.aliasVersion == 1 && records.first?.differs == false)

        // Version 2 reads a field the stream lacks: the watcher refuses it and version 1 goes on serving.
        try f.register("meters-if", seed: 3, fields: ["kwh", "current"], promote: true)
        _ = watcher.check()
        reporter.report(&last, all: false)
        records = f.registry.serving(of: "meters-if")
        #expect(records.first?.version == 1 && records.first?.aliasVersion == 2 && records.first?.differs == true, "\(records)")
        #expect(records.first?.instance == "scorer-a" && records.first?.alias == "production")
        #expect(metrics.gauge("forewarn_model_alias_version", labels: "model=\"meters-if\",alias=\"production\"") == 2)
        #expect(records.first?.isStale() == false && records.first?.isStale(now: Date().timeIntervalSince1970 + 600) == true)

        let before = try #require(records.first).updatedAt
        Thread.sleep(forTimeInterval: 0.01)
        reporter.report(&last, all: false)
        #expect(f.registry.serving(of: "meters-if").first?.updatedAt == before, "unchanged: not rewritten between heartbeats")
        reporter.report(&last, all: true)
        #expect((f.registry.serving(of: "meters-if").first?.updatedAt ?? 0) > before, "a heartbeat rewrites it")

        reporter.remove()
        #expect(f.registry.serving(of: "meters-if").isEmpty, "a clean stop removes the record")
    }

    @Test func badInstanceNamesAndDamagedRecordsAreNamedOrSkipped() throws {
        let f = try ModelFixture()
        try f.register("meters-if", seed: 1, fields: ["kwh", "voltage"], promote: true)
        #expect(throws: RegistryError.self) {
            try f.registry.recordServing(name: "meters-if", ServingRecord(instance: "../escape", alias: "production", version: 1, aliasVersion: 1))
        }
        try f.registry.recordServing(name: "meters-if", ServingRecord(instance: "b", alias: "production", version: 1, aliasVersion: 1))
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: "\(f.registry.root)/meters-if/.serving/c.json"))
        #expect(f.registry.serving(of: "meters-if").map(\.instance) == ["b"])
        #expect(try f.registry.verify(name: "meters-if").isClean, "serving records are not versions")
    }
}
