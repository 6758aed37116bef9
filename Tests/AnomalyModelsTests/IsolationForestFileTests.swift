import Foundation
import HDF5Kit
import Testing

@testable import AnomalyModels

/// Model files: round trips, h5py interop following docs/formats.md, and rejection of damaged files.
@Suite struct IsolationForestFileTests {
    static let names = ["fare", "distance", "duration", "tip"]

    /// A small forest fitted on random data with a few planted outliers.
    static func forest(extended: Bool, seed: UInt64 = 7) throws -> IsolationForest {
        var p = IsolationForestParameters()
        p.trees = 25
        p.sampleSize = 64
        p.extended = extended
        p.seed = seed
        if extended {
            p.contamination = 0.05
            p.maxDepth = 5
        }
        return try IsolationForest.fit(randomRows(400, seed: seed), featureNames: names, parameters: p)
    }

    static func randomRows(_ rows: Int, seed: UInt64, withMissing: Bool = false) -> FeatureMatrix {
        var rng = RandomSource(seed: seed)
        var v: [Double] = []
        for i in 0..<rows {
            let outlier = i % 37 == 0
            for j in 0..<names.count { v.append(rng.normal() * Double(j + 1) + (outlier ? 12 : 0)) }
        }
        if withMissing {
            v[1] = .nan
            v[6] = .infinity
            v[11] = -.infinity
        }
        return FeatureMatrix(rows: rows, columns: names.count, values: v)
    }

    static func bits(_ a: [Double]) -> [UInt64] { a.map(\.bitPattern) }

    // MARK: Round trip

    @Test(arguments: [false, true])
    func roundTripScoresBitIdentically(extended: Bool) throws {
        let tmp = try TempDir()
        let path = tmp.path("model.h5")
        var original = try Self.forest(extended: extended, seed: extended ? UInt64.max - 3 : 7)
        #expect(original.isExtended == extended)
        if !extended { original.threshold = 0.6 }
        try original.save(to: path, provenance: ["stream": "taxi", "command": "forewarn fit --trees 25"])

        let loaded = try IsolationForest.load(from: path, expectingFields: Self.names)
        #expect(loaded.parameters == original.parameters)
        #expect(loaded.featureNames == original.featureNames)
        #expect(loaded.scaler == original.scaler)
        #expect(loaded.depth == original.depth && loaded.treeCount == original.treeCount)
        #expect(loaded.samplesPerTree == original.samplesPerTree)
        #expect(loaded.threshold.bitPattern == original.threshold.bitPattern)
        #expect(loaded.isExtended == extended)
        #expect(loaded.features == original.features)
        #expect(Self.bits(loaded.cuts) == Self.bits(original.cuts))
        #expect(Self.bits(loaded.normals) == Self.bits(original.normals))
        #expect(Self.bits(loaded.leafValues) == Self.bits(original.leafValues))

        let x = Self.randomRows(1_000, seed: 99, withMissing: true)
        #expect(Self.bits(loaded.score(x)) == Self.bits(original.score(x)))
        #expect(loaded.flags(loaded.score(x)) == original.flags(original.score(x)))
        #expect(try tmp.contents() == ["model.h5"])
    }

    @Test func saveReplacesAnExistingModelAndLeavesNoTemporaryFile() throws {
        let tmp = try TempDir()
        let path = tmp.path("model.h5")
        try Self.forest(extended: false, seed: 1).save(to: path)
        let second = try Self.forest(extended: true, seed: 2)
        try second.save(to: path)
        #expect(try tmp.contents() == ["model.h5"])
        let loaded = try IsolationForest.load(from: path)
        #expect(loaded.isExtended && loaded.parameters == second.parameters)
    }

    @Test func saveFailureLeavesNothingBehind() throws {
        let tmp = try TempDir()
        let forest = try Self.forest(extended: false)
        #expect(throws: ModelWriteError.self) { try forest.save(to: tmp.path("no-such-dir/model.h5")) }
        #expect(throws: ModelWriteError.self) { try forest.save(to: tmp.path("m.h5"), provenance: ["": "x"]) }
        var invalid = forest
        invalid.threshold = .nan
        let error = #expect(throws: ModelWriteError.self) { try invalid.save(to: tmp.path("m.h5")) }
        #expect(error?.reason.contains("threshold") == true)
        #expect(try tmp.contents().isEmpty)
    }

    // MARK: h5py

    @Test(.enabled(if: Python.available), arguments: [false, true])
    func h5pyScoresAsDocumented(extended: Bool) throws {
        let tmp = try TempDir()
        let path = tmp.path("model.h5")
        let forest = try Self.forest(extended: extended)
        try forest.save(to: path, provenance: ["stream": "taxi ✓"])
        let x = Self.randomRows(40, seed: 5, withMissing: true)
        let rowsPath = tmp.path("rows.txt")
        let text = (0..<x.rows).map { i in (0..<x.columns).map { "\(x[i, $0])" }.joined(separator: ",") }
        try (text.joined(separator: "\n") + "\n").write(toFile: rowsPath, atomically: false, encoding: .utf8)

        let output = try Python.run(try Python.documentedScorer() + Self.interopTail, [path, rowsPath])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        let scores = try #require(json["scores"] as? [Double])
        let expected = forest.score(x)
        try #require(scores.count == expected.count)
        for (a, b) in zip(scores, expected) { #expect(abs(a - b) <= 1e-12, "numpy \(a) vs Forewarn \(b)") }
        #expect(json["format"] as? String == "forewarn-model")
        #expect(json["version_dtype"] as? String == "int32")
        #expect(json["model_kind"] as? String == "isolation-forest")
        #expect(json["feature_names"] as? [String] == Self.names)
        #expect(json["provenance"] as? String == "taxi ✓")
        #expect(json["threshold"] as? Double == forest.threshold)
        #expect(json["seed"] as? Int == 7)
        #expect(json["has_normal"] as? Bool == extended)
    }

    /// Appended to the documented script: reads the rows and prints what the test checks.
    static let interopTail = """

        import json, sys
        X = np.array([[float(v) for v in line.split(",")] for line in open(sys.argv[2])], dtype=np.float64)
        with h5py.File(sys.argv[1], "r") as f:
            a = f.attrs
            print(json.dumps({
                "scores": score(X).tolist(), "format": a["format"], "model_kind": a["model_kind"],
                "version_dtype": str(a["format_version"].dtype), "feature_names": [str(n) for n in a["feature_names"]],
                "provenance": a["provenance_stream"], "threshold": float(a["threshold"]),
                "seed": int(np.int64(a["param_seed"]).view(np.uint64)), "has_normal": "trees/normal" in f,
            }))
        """

    // MARK: Damaged files

    @Test func truncatedFileIsCorrupt() throws {
        let tmp = try TempDir()
        let path = tmp.path("model.h5")
        try Self.forest(extended: false).save(to: path)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: path))
        try expectCorrupt(path, mentioning: "HDF5")
    }

    @Test func garbageAndEmptyFilesAreCorrupt() throws {
        let tmp = try TempDir()
        var rng = RandomSource(seed: 3)
        let garbage = tmp.path("garbage.h5")
        let bytes = (0..<4096).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        try Data(bytes).write(to: URL(fileURLWithPath: garbage))
        try expectCorrupt(garbage, mentioning: "not an HDF5 file")
        let empty = tmp.path("empty.h5")
        try Data().write(to: URL(fileURLWithPath: empty))
        try expectCorrupt(empty, mentioning: "not an HDF5 file")
        try expectCorrupt(tmp.path("missing.h5"), mentioning: "does not exist")
    }

    @Test func datasetWithAnExtraValueIsCorrupt() throws {
        let tmp = try TempDir()
        let path = tmp.path("model.h5")
        try Self.forest(extended: false).save(to: path)
        do {
            let file = try HDF5File(path: path, mode: .readWrite)
            try file.openDataset("trees/cut").append([0.5])
            try file.close()
        }
        try expectCorrupt(path, mentioning: "'trees/cut' has")
    }

    @Test func handBuiltFileWithShortCutsIsCorrupt() throws {
        let tmp = try TempDir()
        let path = tmp.path("model.h5")
        let f = try Self.forest(extended: true)
        try Self.variant(f, cuts: Array(f.cuts.dropLast(3))).writeFile(to: path, provenance: [:])
        let n = f.cuts.count
        try expectCorrupt(path, mentioning: "dataset 'trees/cut' has \(n - 3) values, expected \(n)")
    }

    @Test func inconsistentContentsAreCorrupt() throws {
        let tmp = try TempDir()
        let f = try Self.forest(extended: false)
        var features = f.features
        features[5] = 4
        var leaves = f.leafValues
        leaves[3] = .nan
        var center = f.scaler.center
        center[2] = .infinity
        var scale = f.scaler.scale
        scale[1] = 0
        var threshold = f
        threshold.threshold = 1.5
        var cuts = f.cuts
        cuts[0] = .nan
        let cases: [(IsolationForest, String)] = [
            (Self.variant(f, features: features), "'trees/feature' holds feature index 4 at index 5"),
            (Self.variant(f, leafValues: leaves), "'trees/leaf_value' holds nan at index 3"),
            (Self.variant(f, scaler: FeatureScaler(center: center, scale: f.scaler.scale)), "'scaler/center' holds inf"),
            (Self.variant(f, scaler: FeatureScaler(center: f.scaler.center, scale: scale)), "'scaler/scale' holds 0.0"),
            (
                Self.variant(f, scaler: FeatureScaler(center: f.scaler.center, scale: [1, 1, 1])),
                "'scaler/scale' has 3 values, expected 4"
            ),
            (Self.variant(f, cuts: cuts), "'trees/cut' holds nan"),
            (Self.variant(f, leafValues: Array(leaves.dropLast())), "'trees/leaf_value' has"),
            (threshold, "'threshold' is 1.5"),
        ]
        for (i, (model, reason)) in cases.enumerated() {
            let path = tmp.path("bad-\(i).h5")
            try model.writeFile(to: path, provenance: [:])
            try expectCorrupt(path, mentioning: reason)
            #expect(throws: ModelWriteError.self) { try model.save(to: tmp.path("never-\(i).h5")) }
        }
    }

    @Test func tamperedAttributesAreRejected() throws {
        let tmp = try TempDir()
        let original = tmp.path("model.h5")
        try Self.forest(extended: false).save(to: original)
        func tampered(_ name: String, _ edit: (HDF5File) throws -> Void) throws -> String {
            let path = tmp.path(name)
            try FileManager.default.copyItem(atPath: original, toPath: path)
            let file = try HDF5File(path: path, mode: .readWrite)
            try edit(file)
            try file.close()
            return path
        }
        let future = try tampered("future.h5") { try $0.setAttribute("format_version", .int32(2)) }
        #expect(throws: ModelError.unsupportedVersion(path: future, found: 2, supported: 1)) {
            try IsolationForest.load(from: future)
        }
        try expectCorrupt(
            try tampered("format.h5") { try $0.setAttribute("format", .string("forewarn-archive")) },
            mentioning: "'format' is 'forewarn-archive'")
        try expectCorrupt(
            try tampered("kind.h5") { try $0.setAttribute("model_kind", .string("autoencoder")) },
            mentioning: "'model_kind' is 'autoencoder'")
        try expectCorrupt(
            try tampered("trees.h5") { try $0.setAttribute("trees", .int64(26)) }, mentioning: "'trees/feature' has")
        try expectCorrupt(
            try tampered("names.h5") { try $0.setAttribute("feature_names", .string("fare")) },
            mentioning: "'feature_names' is not a 1-D array of strings")
        try expectCorrupt(
            try tampered("extended.h5") { try $0.setAttribute("extended", .int32(1)) },
            mentioning: "'trees/normal' is missing")
        try expectCorrupt(
            try tampered("normal.h5") { try $0.createDataset("trees/normal", type: .double).append([1.0]) },
            mentioning: "'trees/normal' is present")
    }

    @Test func fileWithOnlyTheEnvelopeNamesTheMissingAttribute() throws {
        let tmp = try TempDir()
        let path = tmp.path("bare.h5")
        let file = try HDF5File(path: path, mode: .createExclusive)
        try file.setAttribute("format", .string("forewarn-model"))
        try file.setAttribute("format_version", .int32(1))
        try file.setAttribute("model_kind", .string("isolation-forest"))
        try file.close()
        try expectCorrupt(path, mentioning: "attribute 'feature_names' is missing")
    }

    @Test func expectingOtherFieldsIsAColumnMismatch() throws {
        let tmp = try TempDir()
        let path = tmp.path("model.h5")
        try Self.forest(extended: false).save(to: path)
        let reordered = ["distance", "fare", "duration", "tip"]
        #expect(throws: ModelError.columnMismatch(expected: Self.names, found: reordered)) {
            try IsolationForest.load(from: path, expectingFields: reordered)
        }
        #expect(throws: ModelError.columnMismatch(expected: Self.names, found: ["fare"])) {
            try IsolationForest.load(from: path, expectingFields: ["fare"])
        }
        #expect(try IsolationForest.load(from: path, expectingFields: Self.names).featureNames == Self.names)
    }

    // MARK: Helpers

    func expectCorrupt(_ path: String, mentioning text: String, sourceLocation: SourceLocation = #_sourceLocation)
        throws
    {
        let error = #expect(throws: ModelError.self, sourceLocation: sourceLocation) {
            try IsolationForest.load(from: path)
        }
        guard case .corruptModel(let p, let reason)? = error else {
            Issue.record("expected corruptModel, got \(String(describing: error))", sourceLocation: sourceLocation)
            return
        }
        #expect(p == path, sourceLocation: sourceLocation)
        #expect(reason.contains(text), "reason: \(reason)", sourceLocation: sourceLocation)
    }

    static func variant(
        _ f: IsolationForest, scaler: FeatureScaler? = nil, features: [Int32]? = nil, cuts: [Double]? = nil,
        leafValues: [Double]? = nil
    ) -> IsolationForest {
        IsolationForest(
            parameters: f.parameters, featureNames: f.featureNames, scaler: scaler ?? f.scaler, depth: f.depth,
            treeCount: f.treeCount, samplesPerTree: f.samplesPerTree, threshold: f.threshold,
            features: features ?? f.features, cuts: cuts ?? f.cuts, normals: f.normals,
            leafValues: leafValues ?? f.leafValues)
    }
}

/// A uniquely named temporary directory, removed when released.
final class TempDir {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("forewarn-model-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    func contents() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: url.path).sorted() }
}

/// Debian's Python, which has h5py and numpy (the `python3` on PATH may not).
enum Python {
    static let executable = "/usr/bin/python3"
    static var available: Bool { FileManager.default.isExecutableFile(atPath: executable) }

    /// The numpy script under `heading` in docs/formats.md, reading the model at argv[1].
    static func documentedScorer(heading: String = "### Scoring with h5py and numpy") throws -> String {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/formats.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        guard let section = text.range(of: heading),
            let start = text.range(of: "```python\n", range: section.upperBound..<text.endIndex),
            let end = text.range(of: "\n```", range: start.upperBound..<text.endIndex)
        else { throw ScriptNotFound() }
        let script = String(text[start.upperBound..<end.lowerBound])
        guard script.contains("\"model.h5\"") else { throw ScriptNotFound() }
        return "import sys\n" + script.replacingOccurrences(of: "\"model.h5\"", with: "sys.argv[1]") + "\n"
    }

    struct ScriptNotFound: Error {}
    struct CannotCapture: Error {}

    /// Runs `python3 -c script args…` and returns stdout; stderr goes to a file so neither pipe can fill up.
    static func run(_ script: String, _ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = ["-c", script] + args
        let out = Pipe()
        let errURL = FileManager.default.temporaryDirectory
            .appendingPathComponent("forewarn-py-\(UUID().uuidString).err")
        guard FileManager.default.createFile(atPath: errURL.path, contents: nil) else { throw CannotCapture() }
        defer { try? FileManager.default.removeItem(at: errURL) }
        let err = try FileHandle(forWritingTo: errURL)
        defer { try? err.close() }
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let errText = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        #expect(p.terminationStatus == 0, "python failed: \(errText)")
        return String(decoding: data, as: UTF8.self)
    }
}
