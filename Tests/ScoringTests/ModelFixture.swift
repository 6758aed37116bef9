import AnomalyModels
import Foundation
import ModelRegistry
import Scoring

/// A scratch folder with stream specs and a registry of fitted isolation
/// forests, for the tests that need models but no Kafka.
final class ModelFixture {
    let dir: URL
    let registry: Registry

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("forewarn-models-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        registry = Registry(root: dir.appendingPathComponent("Models").path)
        try spec("stream: meters\nkey: meter\ntime: ts\nfields: [kwh, voltage]\nid: reading_id\n", file: "meters.yaml")
        try spec("stream: pumps\nkey: pump\ntime: ts\nfields: [pressure]\nid: reading_id\n", file: "pumps.yaml")
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    func spec(_ yaml: String, file: String) throws {
        try yaml.write(to: dir.appendingPathComponent(file), atomically: true, encoding: .utf8)
    }

    /// Fits a forest on normal readings (the first field around 0.3, the second around 230) and registers it.
    @discardableResult
    func register(_ name: String, seed: UInt64, fields: [String], promote: Bool) throws -> Int {
        var rng = SystemRandomNumberGenerator()
        var values: [Double] = []
        for _ in 0..<2_000 {
            values += [Double.random(in: 0.1...0.5, using: &rng), Double.random(in: 228...232, using: &rng)].prefix(fields.count)
        }
        var p = IsolationForestParameters()
        p.seed = seed
        let forest = try IsolationForest.fit(
            FeatureMatrix(rows: 2_000, columns: fields.count, values: values), featureNames: fields, parameters: p)
        let file = dir.appendingPathComponent("\(name)-\(seed).h5").path
        try forest.save(to: file)
        let meta = try registry.register(ModelRegistration(name: name, modelFile: file, forewarnVersion: "test"))
        if promote { try registry.promote(name: name, version: meta.version) }
        return meta.version
    }

    /// Meters only (`meters-if`), or meters and pumps with a model each.
    func config(pumps: Bool = false, extra: String = "") throws -> ServeConfig {
        let inputs = pumps ? "[{topic: meters, spec: meters.yaml}, {topic: pumps, spec: pumps.yaml}]" : "[{topic: meters, spec: meters.yaml}]"
        let models = pumps ? "[{name: meters-if, stream: meters}, {name: pumps-if, stream: pumps}]" : "[{name: meters-if}]"
        return try ServeConfig.parse(
            yaml: """
                kafka: {brokers: embedded}
                inputs: \(inputs)
                models: \(models)
                output: {topic: predictions, dead_letter_topic: dead}
                registry: \(registry.root)
                \(extra)
                """, relativeTo: dir)
    }
}
