import Foundation
import HDF5Kit

/// Isolation forests as self-sufficient HDF5 model files, readable with plain
/// h5py; the layout is specified in docs/formats.md ("Model files").
extension IsolationForest {
    public static let modelKind = "isolation-forest"
    /// Deepest tree a file may hold (2^30 leaves per tree is already far beyond any fit).
    static let maxFileDepth = 30

    /// Writes the model to `path`, replacing any file there atomically: the
    /// file is written as `<path>.tmp-<pid>`, fsynced and renamed, so `path`
    /// never holds a partial model. `provenance` is stored as string
    /// attributes `provenance_<key>` (keys must be non-empty).
    ///
    /// Throws `ModelWriteError` if the model is not one `load` would accept,
    /// or on any I/O failure.
    public func save(to path: String, provenance: [String: String] = [:]) throws {
        if let problem = validationProblem() {
            throw ModelWriteError(path: path, reason: "refusing to write an invalid model: \(problem)")
        }
        if provenance.keys.contains("") {
            throw ModelWriteError(path: path, reason: "provenance keys must not be empty")
        }
        try writeFile(to: path, provenance: provenance)
    }

    /// Reads a model written by `save`, checking everything scoring relies on.
    ///
    /// Throws `ModelError.corruptModel` naming the problem (not HDF5, truncated,
    /// wrong format or kind, missing or inconsistent attributes and datasets,
    /// out-of-range values), `ModelError.unsupportedVersion` for a newer
    /// `format_version`, and `ModelError.columnMismatch` when `expectingFields`
    /// is given and differs from the model's feature names.
    public static func load(from path: String, expectingFields: [String]? = nil) throws -> IsolationForest {
        let reader = try ModelFileReader(path: path, kind: modelKind)
        let forest = try read(reader)
        try reader.close()
        if let problem = forest.validationProblem() { throw reader.corrupt(problem) }
        if let expected = expectingFields, expected != forest.featureNames {
            throw ModelError.columnMismatch(expected: forest.featureNames, found: expected)
        }
        return forest
    }

    /// Writes without validating (tests use it to produce invalid files).
    func writeFile(to path: String, provenance: [String: String]) throws {
        try DurableFile.write(to: path) { temporary in
            let w = try ModelFileWriter(path: temporary, kind: Self.modelKind, provenance: provenance)
            try w.set("feature_names", .strings(featureNames))
            try w.set("trees", .int64(Int64(treeCount)))
            try w.set("depth", .int64(Int64(depth)))
            try w.set("samples_per_tree", .int64(Int64(samplesPerTree)))
            try w.set("threshold", .double(threshold))
            try w.set("extended", .int32(isExtended ? 1 : 0))
            let p = parameters
            try w.set("param_trees", .int64(Int64(p.trees)))
            try w.set("param_sample_size", .int64(Int64(p.sampleSize)))
            try w.set("param_max_depth", .int64(Int64(p.maxDepth ?? -1)))
            try w.set("param_extended", .int32(p.extended ? 1 : 0))
            try w.set("param_contamination", .double(p.contamination ?? .nan))
            try w.set("param_threshold", .double(p.threshold ?? .nan))
            try w.set("param_seed", .int64(Int64(bitPattern: p.seed)))
            try w.dataset("scaler/center", scaler.center)
            try w.dataset("scaler/scale", scaler.scale)
            try w.dataset("trees/feature", features)
            try w.dataset("trees/cut", cuts)
            try w.dataset("trees/leaf_value", leafValues)
            if isExtended { try w.dataset("trees/normal", normals) }
            if let context { try write(context, to: w) }
            if let calibration {
                try w.dataset("score_calibration/median", [calibration.median])
                try w.dataset("score_calibration/alarm_rate", [alarmRate ?? .nan])
                try w.dataset("score_calibration/tail_quantiles", calibration.tail.quantiles)
                try w.dataset("score_calibration/tail_scale", calibration.tail.tailScale)
                try w.dataset("score_calibration/maximum", [calibration.maximumExcess, Double(calibration.count)])
            }
            try w.close()
        }
    }

    /// Reads attributes and datasets, checking their presence, types and lengths.
    private static func read(_ r: ModelFileReader) throws -> IsolationForest {
        let names = try r.strings("feature_names")
        guard !names.isEmpty else { throw r.corrupt("attribute 'feature_names' is empty") }
        let trees = try r.int("trees", in: 1...Int(Int32.max))
        let depth = try r.int("depth", in: 0...maxFileDepth)
        let samples = try r.int("samples_per_tree", in: 1...Int.max)
        let threshold = try r.double("threshold")
        let extended = try r.int("extended", in: 0...1) == 1

        var p = IsolationForestParameters()
        p.trees = try r.int("param_trees")
        p.sampleSize = try r.int("param_sample_size")
        let maxDepth = try r.int("param_max_depth", in: -1...Int.max)
        p.maxDepth = maxDepth < 0 ? nil : maxDepth
        p.extended = try r.int("param_extended", in: 0...1) == 1
        let contamination = try r.double("param_contamination")
        p.contamination = contamination.isNaN ? nil : contamination
        let fixed = try r.double("param_threshold")
        p.threshold = fixed.isNaN ? nil : fixed
        p.seed = UInt64(bitPattern: Int64(try r.int("param_seed")))

        let d = names.count
        let inner = (1 << depth) - 1
        guard let nodes = checkedProduct(trees, inner), let leaves = checkedProduct(trees, inner + 1),
            let weights = checkedProduct(nodes, d)
        else { throw r.corrupt("trees \(trees) × depth \(depth) × \(d) features is too large") }
        let nodeWhy = "trees × (2^depth − 1) = \(trees) × \(inner)"
        let center = try r.dataset("scaler/center", Double.self, count: d, why: "one per feature name")
        let scale = try r.dataset("scaler/scale", Double.self, count: d, why: "one per feature name")
        let features = try r.dataset("trees/feature", Int32.self, count: nodes, why: nodeWhy)
        let cuts = try r.dataset("trees/cut", Double.self, count: nodes, why: nodeWhy)
        let leafValues = try r.dataset(
            "trees/leaf_value", Double.self, count: leaves, why: "trees × 2^depth = \(trees) × \(inner + 1)")
        var normals: [Double] = []
        if extended {
            normals = try r.dataset(
                "trees/normal", Double.self, count: weights,
                why: "trees × (2^depth − 1) × features = \(trees) × \(inner) × \(d)")
            // An empty normal array would make the model axis-parallel.
            guard !normals.isEmpty else {
                throw r.corrupt("attribute 'extended' is 1 but the trees have no internal nodes")
            }
        } else if try r.contains("trees/normal") {
            throw r.corrupt("dataset 'trees/normal' is present but attribute 'extended' is 0")
        }
        var forest = IsolationForest(
            parameters: p, featureNames: names, scaler: FeatureScaler(center: center, scale: scale), depth: depth,
            treeCount: trees, samplesPerTree: samples, threshold: threshold, features: features, cuts: cuts,
            normals: normals, leafValues: leafValues)
        forest.context = try readContext(r)
        if try r.contains("score_calibration/tail_scale") {
            let k = TailCalibration.levels.count
            let median = try r.dataset("score_calibration/median", Double.self, count: 1, why: "one value")[0]
            let rate = try r.dataset("score_calibration/alarm_rate", Double.self, count: 1, why: "one value")[0]
            let top = try r.dataset("score_calibration/maximum", Double.self, count: 2, why: "the top excess and the count")
            guard top[0].isFinite, top[0] >= 0, top[1] >= 0, top[1] < 1e15, top[1] == top[1].rounded() else {
                throw r.corrupt("dataset 'score_calibration/maximum' holds \(top)")
            }
            forest.calibration = ScoreCalibration(
                median: median,
                tail: TailCalibration(
                    quantiles: try r.dataset("score_calibration/tail_quantiles", Double.self, count: k, why: "\(k) levels"),
                    tailScale: try r.dataset("score_calibration/tail_scale", Double.self, count: 1, why: "one scale")),
                maximumExcess: top[0], count: Int(top[1]))
            forest.alarmRate = rate.isNaN ? nil : rate
        }
        return forest
    }

    private func write(_ c: StreamContext, to w: ModelFileWriter) throws {
        try w.strings("context/spec", [c.spec.text, c.spec.timeZone])
        try w.dataset("context/shape", [Int64(c.slots), c.cadenceMs])
        try w.strings("context/fields", c.fields)
        try w.strings("context/series_names", c.seriesNames)
        try w.dataset("context/profile", c.profile)
        try w.dataset("context/scale", c.scale)
        try w.dataset("context/log_offset", c.logOffset)
        try w.dataset("context/memory_clip", c.memoryClip)
    }

    /// The context in `context/`, or nil when the file has none.
    private static func readContext(_ r: ModelFileReader) throws -> StreamContext? {
        guard try r.contains("context/scale") else { return nil }
        let spec = try r.stringDataset("context/spec")
        guard spec.count == 2 else { throw r.corrupt("dataset 'context/spec' holds \(spec.count) strings, expected 2") }
        let features: [ContextSpec.Feature]
        do { features = try ContextSpec.features(spec[0]) } catch { throw r.corrupt("dataset 'context/spec': \(error)") }
        let shape = try r.dataset("context/shape", Int64.self, count: 2, why: "slots and cadence")
        guard shape[0] == 24 || shape[0] == 48, shape[1] > 0 else {
            throw r.corrupt("dataset 'context/shape' holds \(shape), expected 24 or 48 slots and a cadence > 0")
        }
        let fields = try r.stringDataset("context/fields")
        let series = try r.stringDataset("context/series_names")
        guard let targets = checkedProduct(fields.count, series.count), let cells = checkedProduct(targets, Int(shape[0]))
        else { throw r.corrupt("context of \(series.count) series × \(fields.count) fields is too large") }
        return StreamContext(
            spec: ContextSpec(features: features, timeZone: spec[1]), fields: fields, seriesNames: series,
            slots: Int(shape[0]),
            profile: try r.dataset("context/profile", Double.self, count: cells, why: "series × fields × slots"),
            scale: try r.dataset("context/scale", Double.self, count: cells, why: "series × fields × slots"),
            logOffset: try r.dataset("context/log_offset", Double.self, count: targets, why: "series × fields"),
            cadenceMs: shape[1],
            memoryClip: try r.contains("context/memory_clip")
                ? r.dataset("context/memory_clip", Double.self, count: targets, why: "series × fields") : nil)
    }

    /// Why this model could not be written or scored as stored, or nil when it is sound.
    /// Messages name the file's attributes and datasets.
    func validationProblem() -> String? {
        let d = columns
        guard d > 0 else { return "attribute 'feature_names' is empty" }
        guard treeCount >= 1, treeCount <= Int(Int32.max) else { return "attribute 'trees' is \(treeCount)" }
        guard (0...Self.maxFileDepth).contains(depth) else { return "attribute 'depth' is \(depth)" }
        guard samplesPerTree >= 1 else { return "attribute 'samples_per_tree' is \(samplesPerTree)" }
        guard (0...1).contains(threshold) else { return "attribute 'threshold' is \(threshold), outside [0, 1]" }
        guard let nodes = Self.checkedProduct(treeCount, internalNodes),
            let leafCount = Self.checkedProduct(treeCount, leaves), let weights = Self.checkedProduct(nodes, d)
        else { return "the forest is too large" }

        func lengthProblem(_ name: String, _ n: Int, _ expected: Int) -> String? {
            n == expected ? nil : "dataset '\(name)' has \(n) values, expected \(expected)"
        }
        func firstBad(_ name: String, _ values: [Double], _ rule: String, _ ok: (Double) -> Bool) -> String? {
            guard let i = values.firstIndex(where: { !ok($0) }) else { return nil }
            return "dataset '\(name)' holds \(values[i]) at index \(i) (\(rule))"
        }
        if let p = lengthProblem("scaler/center", scaler.center.count, d)
            ?? lengthProblem("scaler/scale", scaler.scale.count, d)
            ?? lengthProblem("trees/feature", features.count, nodes) ?? lengthProblem("trees/cut", cuts.count, nodes)
            ?? lengthProblem("trees/leaf_value", leafValues.count, leafCount)
            ?? (isExtended ? lengthProblem("trees/normal", normals.count, weights) : nil)
        {
            return p
        }
        if let context {
            if let problem = context.problem() { return problem }
            guard TimeZone(identifier: context.spec.timeZone) != nil else {
                return "dataset 'context/spec' names an unknown time zone '\(context.spec.timeZone)'"
            }
            guard context.featureNames == featureNames else {
                return "attribute 'feature_names' \(featureNames) is not what 'context/' derives: \(context.featureNames)"
            }
        }
        if let calibration, let problem = calibration.problem() { return "datasets 'score_calibration/': \(problem)" }
        if let alarmRate, !(alarmRate > 0 && alarmRate < 0.5) { return "dataset 'score_calibration/alarm_rate' is \(alarmRate)" }
        if let i = features.firstIndex(where: { $0 < 0 || Int($0) >= d }) {
            return "dataset 'trees/feature' holds feature index \(features[i]) at index \(i), outside [0, \(d))"
        }
        return firstBad("scaler/center", scaler.center, "centers must be finite") { $0.isFinite }
            ?? firstBad("scaler/scale", scaler.scale, "scales must be finite and > 0") { $0.isFinite && $0 > 0 }
            ?? firstBad("trees/cut", cuts, "cuts must be numbers; +inf pads") { !$0.isNaN }
            ?? firstBad("trees/leaf_value", leafValues, "leaf values must be finite") { $0.isFinite }
            ?? firstBad("trees/normal", normals, "normals must be finite") { $0.isFinite }
    }

    private static func checkedProduct(_ a: Int, _ b: Int) -> Int? {
        let (p, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? nil : p
    }
}
