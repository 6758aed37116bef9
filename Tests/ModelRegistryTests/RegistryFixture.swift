import AnomalyModels
import Foundation
import HDF5Kit

@testable import ModelRegistry

/// A fresh registry root in a temporary directory, with model files to register.
struct RegistryFixture {
    let directory: URL
    var root: String { directory.appendingPathComponent("Models").path }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("forewarn-registry-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func cleanup() { try? FileManager.default.removeItem(at: directory) }

    func registry() -> Registry { Registry(root: root, user: "tester") }

    /// A tiny isolation forest saved to `<tmp>/<file>`; `seed` varies its content.
    func modelFile(_ file: String = "model.h5", seed: UInt64 = 1) throws -> String {
        var p = IsolationForestParameters()
        p.trees = 4
        p.sampleSize = 16
        p.seed = seed
        var rng = RandomSource(seed: seed)
        let rows = 40
        let x = FeatureMatrix(rows: rows, columns: 2, values: (0..<(rows * 2)).map { _ in rng.normal() })
        let path = self.path(file)
        try IsolationForest.fit(x, featureNames: ["load", "latency"], parameters: p).save(to: path)
        return path
    }

    func registration(_ name: String = "meters", seed: UInt64 = 1) throws -> ModelRegistration {
        var r = ModelRegistration(name: name, modelFile: try modelFile("model-\(seed).h5", seed: seed), forewarnVersion: "0.1.0")
        r.parameters = ["trees": "4", "sample_size": "16", "seed": "\(seed)"]
        r.trainingWindow = TrainingWindow(from: "2026-01-01T00:00:00.000Z", to: "2026-01-08T00:00:00.000Z")
        r.partitions = [PartitionDigest(path: "meters/date=2026-01-01/hour=00/part-0001.h5", sha256: String(repeating: "a", count: 64), rows: 40)]
        r.rowCount = 40
        r.metrics = ["auc": 0.9 + Double(seed) / 100, "anomaly_rate": 0.05]
        r.provenance = ["job": "Jobs/meters.yaml"]
        return r
    }

    /// Registers `count` versions of `name` (seeds 1...count).
    @discardableResult
    func populate(_ registry: Registry, name: String = "meters", count: Int) throws -> [ModelVersionMetadata] {
        try (1...count).map { try registry.register(registration(name, seed: UInt64($0))) }
    }

    /// A valid model envelope of another kind, as a parallel model type would write.
    func foreignKindFile(kind: String) throws -> String {
        let path = self.path("\(kind).h5")
        let file = try HDF5File(path: path, mode: .truncate)
        try file.setAttribute("format", .string("forewarn-model"))
        try file.setAttribute("format_version", .int32(1))
        try file.setAttribute("model_kind", .string(kind))
        try file.close()
        return path
    }

    /// Overwrites one byte in the middle of a file, keeping its size.
    func flipByte(_ path: String) throws {
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        data[data.count / 2] ^= 0xFF
        try data.write(to: URL(fileURLWithPath: path))
    }

    func truncate(_ path: String, to fraction: Double = 0.5) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        try data.prefix(Int(Double(data.count) * fraction)).write(to: URL(fileURLWithPath: path))
    }
}

/// The error thrown from a fault hook: stands for the process dying at that point.
struct SimulatedCrash: Error {}
