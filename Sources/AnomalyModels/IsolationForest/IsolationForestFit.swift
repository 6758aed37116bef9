import LinearAlgebra

extension IsolationForest {
    /// Fits a forest on `x` (rows of features named `featureNames`).
    public static func fit(_ x: FeatureMatrix, featureNames: [String], parameters: IsolationForestParameters) throws
        -> IsolationForest
    {
        guard x.rows > 0 else { throw ModelError.emptyTrainingData }
        guard x.columns == featureNames.count, x.columns > 0 else {
            throw ModelError.badParameter("expected \(featureNames.count) feature columns, found \(x.columns)")
        }
        var rng = RandomSource(seed: parameters.seed)
        let psi = min(parameters.sampleSize, x.rows)
        let depth = parameters.depth(forRows: x.rows)
        let scaler = FeatureScaler.fit(subsample(x, rows: min(x.rows, scalerRows(columns: x.columns)), rng: &rng))
        var sampler = TreeSampler(rows: x.rows, sampleSize: psi)
        func grow<Builder: TreeGrowing>(_ builder: Builder) -> CompleteTrees {
            var builder = builder
            x.values.withUnsafeBufferPointer { values in
                for _ in 0..<parameters.trees {
                    let sample = sampler.draw(&rng)
                    builder.growTree(values, sample: sample, rng: &rng)
                }
            }
            return builder.trees
        }
        let trees = parameters.extended
            ? grow(HyperplaneTreeBuilder(
                columns: x.columns, depth: depth, sampleSize: psi, treeCount: parameters.trees, scaler: scaler))
            : grow(AxisTreeBuilder(
                columns: x.columns, depth: depth, sampleSize: psi, treeCount: parameters.trees, scaler: scaler))
        var forest = IsolationForest(
            parameters: parameters, featureNames: featureNames, scaler: scaler, depth: depth,
            treeCount: parameters.trees, samplesPerTree: psi, threshold: 0.5, features: trees.features,
            cuts: trees.cuts, normals: trees.normals, leafValues: trees.leafValues)
        forest.threshold = try forest.chooseThreshold(on: x)
        return forest
    }

    /// The decision threshold: fixed, from a contamination rate on the training scores, or 0.5.
    private func chooseThreshold(on x: FeatureMatrix) throws -> Double {
        if let t = parameters.threshold { return t }
        guard let c = parameters.contamination else { return 0.5 }
        var scores = score(x)
        scores.removeAll { $0.isNaN }
        guard !scores.isEmpty else { return 0.5 }
        scores.sort()
        let k = min(scores.count - 1, max(0, Int((Double(scores.count) * (1 - c)).rounded(.down))))
        return scores[k]
    }

    /// Rows the scaler's medians and quartiles are taken from: up to 32,768, and
    /// about 131,072 values in all on wide data, but never fewer than 512 rows,
    /// so the scaler costs about what 100 trees do (its quantiles are the
    /// dearest part of a fit) and its medians stay within about a twentieth of a
    /// standard deviation of the training set's (1.25 / sqrt(rows)).
    static func scalerRows(columns: Int) -> Int { min(32_768, max(512, 131_072 / max(1, columns))) }

    private static func subsample(_ x: FeatureMatrix, rows: Int, rng: inout RandomSource) -> FeatureMatrix {
        guard rows < x.rows else { return x }
        let d = x.columns
        let v = [Double](unsafeUninitializedCapacity: rows * d) { out, count in
            x.values.withUnsafeBufferPointer { src in
                for k in 0..<rows {
                    let i = rng.below(x.rows)
                    for j in 0..<d { (out.baseAddress! + k * d + j).initialize(to: src[i * d + j]) }
                }
            }
            count = rows * d
        }
        return FeatureMatrix(rows: rows, columns: d, values: v)
    }
}

/// What grows a forest's trees one at a time, on the rows `sample` of the row-major matrix `x`.
protocol TreeGrowing {
    var trees: CompleteTrees { get }
    mutating func growTree(_ x: UnsafeBufferPointer<Double>, sample: [Int], rng: inout RandomSource)
}

extension AxisTreeBuilder: TreeGrowing {}
extension HyperplaneTreeBuilder: TreeGrowing {}

/// Each tree's rows: a partial Fisher–Yates shuffle of a running permutation
/// is a uniform sample without replacement, at O(sample size) per tree.
private struct TreeSampler {
    private var order: [Int]
    private var sample: [Int]

    init(rows: Int, sampleSize: Int) {
        order = [Int](unsafeUninitializedCapacity: rows) { o, count in
            for i in 0..<rows { (o.baseAddress! + i).initialize(to: i) }
            count = rows
        }
        sample = .init(repeating: 0, count: sampleSize)
    }

    mutating func draw(_ rng: inout RandomSource) -> [Int] {
        let n = order.count
        order.withUnsafeMutableBufferPointer { o in
            sample.withUnsafeMutableBufferPointer { s in
                for k in 0..<s.count {
                    o.swapAt(k, k + rng.below(n - k))
                    s[k] = o[k]
                }
            }
        }
        return sample
    }
}

extension IsolationForest {
    /// Figures about the fit recorded with each registered version: the share of
    /// training rows flagged and the training score distribution.
    public func trainingMetrics(on x: FeatureMatrix) -> [String: Double] {
        let scores = score(x).sorted()
        guard !scores.isEmpty else { return [:] }
        func quantile(_ q: Double) -> Double { scores[min(scores.count - 1, Int(q * Double(scores.count)))] }
        let flagged = scores.count - (scores.firstIndex { $0 > threshold } ?? scores.count)
        return [
            "threshold": threshold, "train_anomaly_rate": Double(flagged) / Double(scores.count),
            "train_score_p50": quantile(0.5), "train_score_p99": quantile(0.99), "train_score_max": scores[scores.count - 1],
        ]
    }
}
