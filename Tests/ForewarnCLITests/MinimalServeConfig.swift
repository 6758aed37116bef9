import AnomalyModels
import Foundation
import ModelRegistry

/// The smallest serve configuration `serve` and `config check` accept: the embedded cluster, one meters
/// stream, one model, written into `dir` with `extra` YAML lines after the rest. Returns the file's path.
/// With `model`, the registry holds a small forest `meters-if` on `kwh`, promoted to production.
enum MinimalServeConfig {
    static func write(in dir: TempDir, name: String = "serve.yaml", extra: String = "", model: Bool = true) throws -> String {
        _ = try dir.write("meters.yaml", "stream: meters\nkey: meter\ntime: ts\nfields: [kwh]\n")
        let registry = Registry(root: dir.path("Models"))
        if model, registry.kind(of: "meters-if") == nil { try register(fields: ["kwh"], in: dir) }
        return try dir.write(
            name,
            """
            kafka: {brokers: embedded}
            inputs: [{topic: meters, spec: meters.yaml}]
            models: [{name: meters-if}]
            output: {topic: predictions}
            registry: \(dir.path("Models"))
            \(extra)
            """)
    }

    /// Registers the next version of `meters-if`, a small forest on `fields` trained on `stream`, promoted.
    @discardableResult
    static func register(fields: [String], stream: String = "meters", in dir: TempDir, promote: Bool = true, force: Bool = false) throws -> Int {
        var p = IsolationForestParameters()
        p.trees = 3
        p.sampleSize = 8
        var rng = RandomSource(seed: 1)
        let x = FeatureMatrix(rows: 20, columns: fields.count, values: (0..<(20 * fields.count)).map { _ in rng.normal() })
        let file = dir.path("fit-\(UUID().uuidString).h5")
        try IsolationForest.fit(x, featureNames: fields, parameters: p).save(to: file)
        var r = ModelRegistration(name: "meters-if", modelFile: file, forewarnVersion: "0.1.0")
        r.provenance = ["stream": stream, "fields": fields.joined(separator: ",")]
        let registry = Registry(root: dir.path("Models"))
        let meta = try registry.register(r)
        if promote { try registry.promote(name: "meters-if", version: meta.version, force: force) }
        return meta.version
    }
}
