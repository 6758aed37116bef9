/// Grows axis-parallel isolation trees as scikit-learn's: at each node a
/// feature drawn at random among those not constant on the node's rows, and a
/// cut uniform between their minimum and maximum.
///
/// Only the drawn feature is read, from the training matrix through the
/// sample's row numbers and scaled as scoring scales it, so a node costs its
/// row count whatever the width of the rows; the split moves row numbers, not
/// rows. The random draws are those of a builder that scans every feature.
struct AxisTreeBuilder {
    var trees: CompleteTrees
    private let work: AxisTreeWork

    init(columns: Int, depth: Int, sampleSize: Int, treeCount: Int, scaler: FeatureScaler) {
        trees = CompleteTrees(
            depth: depth, columns: columns, sampleSize: sampleSize, treeCount: treeCount, hyperplanes: false)
        work = AxisTreeWork(columns: columns, depth: depth, sampleSize: sampleSize, scaler: scaler,
                            pathLengths: trees.pathLengths)
    }

    /// Grows one tree on the rows `sample` of the row-major matrix `x`.
    mutating func growTree(_ x: UnsafeBufferPointer<Double>, sample: [Int], rng: inout RandomSource) {
        work.grow(x, sample: sample, rng: &rng)
        let inner = trees.internalNodes
        trees.features.append(contentsOf: UnsafeBufferPointer(start: work.features, count: inner))
        trees.cuts.append(contentsOf: UnsafeBufferPointer(start: work.cuts, count: inner))
        trees.leafValues.append(contentsOf: UnsafeBufferPointer(start: work.leaves, count: inner + 1))
    }
}

/// One tree's working memory, allocated once per fit. Its buffers are
/// reached through constant pointers, so growing a node costs no array
/// uniqueness or exclusivity checks. Used by one builder on one thread.
private final class AxisTreeWork {
    let columns: Int, depth: Int, sampleSize: Int
    /// The tree's sample as rows of the matrix, partitioned in place as nodes split.
    let rows: UnsafeMutablePointer<Int>
    /// Where a split writes its rows before they are copied back.
    let spare: UnsafeMutablePointer<Int>
    /// The scaled values of the last feature read, aligned with `rows`.
    let values: UnsafeMutablePointer<Double>
    /// A running permutation of the features: each node draws from it without replacement.
    let featureOrder: UnsafeMutablePointer<Int>
    let center: UnsafeMutablePointer<Double>, scale: UnsafeMutablePointer<Double>
    let pathLengths: UnsafeMutablePointer<Double>
    /// The tree being grown, in the layout of `CompleteTrees`.
    let features: UnsafeMutablePointer<Int32>, cuts: UnsafeMutablePointer<Double>, leaves: UnsafeMutablePointer<Double>

    init(columns: Int, depth: Int, sampleSize: Int, scaler: FeatureScaler, pathLengths lengths: [Double]) {
        self.columns = columns; self.depth = depth; self.sampleSize = sampleSize
        func copy<T>(_ a: [T]) -> UnsafeMutablePointer<T> {
            let p = UnsafeMutablePointer<T>.allocate(capacity: max(1, a.count))
            p.initialize(from: a, count: a.count)
            return p
        }
        rows = .allocate(capacity: sampleSize); spare = .allocate(capacity: sampleSize)
        values = .allocate(capacity: sampleSize)
        featureOrder = copy(Array(0..<columns))
        center = copy(scaler.center); scale = copy(scaler.scale); pathLengths = copy(lengths)
        let inner = (1 << depth) - 1
        features = .allocate(capacity: inner); cuts = .allocate(capacity: inner); leaves = .allocate(capacity: inner + 1)
    }

    deinit {
        for p in [rows, spare, featureOrder] { p.deallocate() }
        for p in [values, center, scale, pathLengths, cuts, leaves] { p.deallocate() }
        features.deallocate()
    }

    func grow(_ x: UnsafeBufferPointer<Double>, sample: [Int], rng: inout RandomSource) {
        let inner = (1 << depth) - 1
        features.update(repeating: 0, count: inner)
        cuts.update(repeating: .infinity, count: inner)
        leaves.update(repeating: 0, count: inner + 1)
        rows.update(from: sample, count: sample.count)
        guard let base = x.baseAddress else { return }
        grow(base, node: 0, level: 0, start: 0, end: sample.count, rng: &rng)
    }

    private func grow(_ x: UnsafePointer<Double>, node: Int, level: Int, start: Int, end: Int, rng: inout RandomSource) {
        if level == depth || end - start <= 1 || !split(x, node: node, start: start, end: end, rng: &rng) {
            leaves[CompleteTrees.leafSlot(node: node, level: level, depth: depth)] = Double(level) + pathLengths[end - start]
            return
        }
        let mid = partition(cut: cuts[node], start: start, end: end)
        grow(x, node: 2 * node + 1, level: level + 1, start: start, end: mid, rng: &rng)
        grow(x, node: 2 * node + 2, level: level + 1, start: mid, end: end, rng: &rng)
    }

    /// Chooses the cut of `node`; false when the rows cannot be separated (every feature constant).
    private func split(_ x: UnsafePointer<Double>, node: Int, start: Int, end: Int, rng: inout RandomSource) -> Bool {
        for k in 0..<columns {
            let pick = k + rng.below(columns - k)
            let j = featureOrder[pick]
            featureOrder[pick] = featureOrder[k]
            featureOrder[k] = j
            let (lo, hi) = load(x, feature: j, start: start, end: end)
            guard hi > lo else { continue }
            var t = lo + rng.unit() * (hi - lo)
            if t >= hi { t = lo }
            features[node] = Int32(j)
            // A float32 cut lets scoring pack each node into one word (PackedTrees).
            cuts[node] = PackedTrees.representableCut(t, lo: lo, hi: hi) ?? t
            return true
        }
        return false
    }

    /// Reads feature `j` of rows `start..<end` into `values`, scaled, missing and infinite values as the median
    /// (0 after scaling), as in scoring; returns their minimum and maximum.
    private func load(_ x: UnsafePointer<Double>, feature j: Int, start: Int, end: Int) -> (Double, Double) {
        let c = center[j], s = scale[j], d = columns
        var lo = Double.infinity, hi = -Double.infinity
        for i in start..<end {
            let v = x[rows[i] &* d &+ j]
            let z = v.isFinite ? (v - c) / s : 0
            values[i] = z
            if z < lo { lo = z }
            if z > hi { hi = z }
        }
        return (lo, hi)
    }

    /// Moves the rows whose value (in `values`) is at most `cut` before the others; returns the boundary.
    /// Without branches on the values: each row is written at both ends of `spare`, and the end it belongs to advances.
    private func partition(cut t: Double, start: Int, end: Int) -> Int {
        var low = start, high = end - 1
        for i in start..<end {
            let r = rows[i]
            spare[low] = r
            spare[high] = r
            // v <= t exactly when t - v is not negative (adding 0 makes a -0 difference +0).
            let left = 1 &- Int(truncatingIfNeeded: ((t - values[i]) + 0).bitPattern >> 63)
            low &+= left
            high &-= 1 &- left
        }
        (rows + start).update(from: spare + start, count: end - start)
        return low
    }
}
