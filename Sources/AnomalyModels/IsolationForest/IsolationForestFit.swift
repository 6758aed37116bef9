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
        let scaler = FeatureScaler.fit(subsample(x, rows: min(x.rows, 32_768), rng: &rng))
        var builder = TreeBuilder(
            columns: x.columns, depth: depth, sampleSize: psi, extended: parameters.extended, treeCount: parameters.trees)
        var order = Array(0..<x.rows)
        var medianImputed = 0
        for _ in 0..<parameters.trees {
            // A partial Fisher–Yates shuffle of a running permutation is a uniform
            // sample without replacement, at O(sample size) per tree.
            for k in 0..<psi {
                let j = k + rng.below(x.rows - k)
                order.swapAt(k, j)
            }
            medianImputed += builder.loadSample(x, rows: order[0..<psi], scaler: scaler)
            builder.growTree(rng: &rng)
        }
        var forest = IsolationForest(
            parameters: parameters, featureNames: featureNames, scaler: scaler, depth: depth,
            treeCount: parameters.trees, samplesPerTree: psi, threshold: 0.5, features: builder.features,
            cuts: builder.cuts, normals: builder.normals, leafValues: builder.leafValues)
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

    private static func subsample(_ x: FeatureMatrix, rows: Int, rng: inout RandomSource) -> FeatureMatrix {
        guard rows < x.rows else { return x }
        var v = [Double]()
        v.reserveCapacity(rows * x.columns)
        for _ in 0..<rows {
            let i = rng.below(x.rows)
            v.append(contentsOf: x.values[(i * x.columns)..<((i + 1) * x.columns)])
        }
        return FeatureMatrix(rows: rows, columns: x.columns, values: v)
    }
}

/// Grows trees into the forest's complete-tree arrays.
struct TreeBuilder {
    let columns: Int
    let depth: Int
    let sampleSize: Int
    let extended: Bool
    var features: [Int32] = []
    var cuts: [Double] = []
    var normals: [Double] = []
    var leafValues: [Double] = []
    /// The current tree's sample, row-major, reordered in place as nodes split.
    private var sample: [Double]
    private var projection: [Double]
    private var featureOrder: [Int]
    private var lo: [Double], hi: [Double]

    init(columns: Int, depth: Int, sampleSize: Int, extended: Bool, treeCount: Int) {
        self.columns = columns; self.depth = depth; self.sampleSize = sampleSize; self.extended = extended
        let internalNodes = (1 << depth) - 1
        features.reserveCapacity(treeCount * internalNodes)
        cuts.reserveCapacity(treeCount * internalNodes)
        leafValues.reserveCapacity(treeCount * (internalNodes + 1))
        if extended { normals.reserveCapacity(treeCount * internalNodes * columns) }
        sample = .init(repeating: 0, count: sampleSize * columns)
        projection = .init(repeating: 0, count: sampleSize)
        featureOrder = Array(0..<columns)
        lo = .init(repeating: 0, count: columns); hi = .init(repeating: 0, count: columns)
    }

    /// Copies and scales the sampled rows; missing and infinite values take the median (0 after scaling), as in scoring.
    /// Returns how many were imputed.
    mutating func loadSample(_ x: FeatureMatrix, rows: ArraySlice<Int>, scaler: FeatureScaler) -> Int {
        var imputed = 0
        var k = 0
        for i in rows {
            for j in 0..<columns {
                let v = x.values[i * columns + j]
                if !v.isFinite { imputed += 1; sample[k] = 0 } else { sample[k] = (v - scaler.center[j]) / scaler.scale[j] }
                k += 1
            }
        }
        return imputed
    }

    mutating func growTree(rng: inout RandomSource) {
        let internalNodes = (1 << depth) - 1
        let base = features.count
        features.append(contentsOf: repeatElement(0, count: internalNodes))
        cuts.append(contentsOf: repeatElement(.infinity, count: internalNodes))
        leafValues.append(contentsOf: repeatElement(0, count: internalNodes + 1))
        if extended { normals.append(contentsOf: repeatElement(0, count: internalNodes * columns)) }
        grow(node: 0, level: 0, start: 0, end: sampleSize, base: base, rng: &rng)
    }

    private mutating func grow(node: Int, level: Int, start: Int, end: Int, base: Int, rng: inout RandomSource) {
        let n = end - start
        if level == depth || n <= 1 || !split(node: node, start: start, end: end, base: base, rng: &rng) {
            setLeaf(node: node, level: level, value: Double(level) + averagePathLength(n), base: base)
            return
        }
        let mid = partition(node: node, start: start, end: end, base: base)
        grow(node: 2 * node + 1, level: level + 1, start: start, end: mid, base: base, rng: &rng)
        grow(node: 2 * node + 2, level: level + 1, start: mid, end: end, base: base, rng: &rng)
    }

    /// A leaf above the depth limit: its cut stays +infinity (everything goes left) down to the leftmost slot.
    private mutating func setLeaf(node: Int, level: Int, value: Double, base: Int) {
        let internalNodes = (1 << depth) - 1
        var slot = node
        for _ in level..<depth { slot = 2 * slot + 1 }
        leafValues[base / internalNodes * (internalNodes + 1) + slot - internalNodes] = value
    }

    /// Chooses the cut of `node`; false when the rows cannot be separated (all features constant).
    private mutating func split(node: Int, start: Int, end: Int, base: Int, rng: inout RandomSource) -> Bool {
        for j in 0..<columns { lo[j] = .infinity; hi[j] = -.infinity }
        for r in start..<end {
            for j in 0..<columns {
                let v = sample[r * columns + j]
                if v < lo[j] { lo[j] = v }
                if v > hi[j] { hi[j] = v }
            }
        }
        if extended { return splitHyperplane(node: node, start: start, end: end, base: base, rng: &rng) }
        // As scikit-learn's random splitter: try features in random order, skipping constant ones.
        for k in 0..<columns {
            let pick = k + rng.below(columns - k)
            featureOrder.swapAt(k, pick)
            let j = featureOrder[k]
            guard hi[j] > lo[j] else { continue }
            var t = lo[j] + rng.unit() * (hi[j] - lo[j])
            if t >= hi[j] { t = lo[j] }
            features[base + node] = Int32(j)
            // A float32 cut lets scoring pack each node into one word (PackedTrees).
            cuts[base + node] = PackedTrees.representableCut(t, lo: lo[j], hi: hi[j]) ?? t
            return true
        }
        return false
    }

    /// A random hyperplane through a random point of the node's bounding box; the
    /// node's rows are projected onto its normal with one BLAS gemv.
    private mutating func splitHyperplane(node: Int, start: Int, end: Int, base: Int, rng: inout RandomSource) -> Bool {
        var varying = false
        for j in 0..<columns where hi[j] > lo[j] { varying = true }
        guard varying else { return false }
        let nb = (base + node) * columns
        var offset = 0.0
        for j in 0..<columns {
            let w = hi[j] > lo[j] ? rng.normal() : 0
            normals[nb + j] = w
            offset += w * (lo[j] + rng.unit() * (hi[j] - lo[j]))
        }
        cuts[base + node] = offset
        let n = end - start
        normals.withUnsafeBufferPointer { w in
            sample.withUnsafeBufferPointer { s in
                projection.withUnsafeMutableBufferPointer { p in
                    BLAS.gemv(
                        rows: n, columns: columns, s.baseAddress! + start * columns, w.baseAddress! + nb,
                        into: p.baseAddress!)
                }
            }
        }
        return true
    }

    /// Moves rows with `x <= cut` (or projection <= offset) before the others; returns the boundary.
    private mutating func partition(node: Int, start: Int, end: Int, base: Int) -> Int {
        let t = cuts[base + node]
        let j = Int(features[base + node])
        var i = start, k = end - 1
        while i <= k {
            let v = extended ? projection[i - start] : sample[i * columns + j]
            if v <= t {
                i += 1
            } else {
                for c in 0..<columns { sample.swapAt(i * columns + c, k * columns + c) }
                if extended { projection.swapAt(i - start, k - start) }
                k -= 1
            }
        }
        return i
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
