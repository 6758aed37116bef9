import LinearAlgebra

/// Grows extended isolation trees (Hariri et al. 2018): each node cuts by a
/// random hyperplane through a random point of its rows' bounding box, so the
/// node reads every feature of its rows.
struct HyperplaneTreeBuilder {
    let columns: Int
    let scaler: FeatureScaler
    var trees: CompleteTrees
    /// The current tree's sample, row-major and scaled, reordered in place as nodes split.
    private var sample: [Double]
    private var projection: [Double]
    private var lo: [Double], hi: [Double]
    private let sampleSize: Int

    init(columns: Int, depth: Int, sampleSize: Int, treeCount: Int, scaler: FeatureScaler) {
        self.columns = columns; self.scaler = scaler; self.sampleSize = sampleSize
        trees = CompleteTrees(
            depth: depth, columns: columns, sampleSize: sampleSize, treeCount: treeCount, hyperplanes: true)
        sample = .init(repeating: 0, count: sampleSize * columns)
        projection = .init(repeating: 0, count: sampleSize)
        lo = .init(repeating: 0, count: columns); hi = .init(repeating: 0, count: columns)
    }

    /// Grows one tree on the rows `sample` of the row-major matrix `x`.
    mutating func growTree(_ x: UnsafeBufferPointer<Double>, sample: [Int], rng: inout RandomSource) {
        loadSample(x, rows: sample)
        let base = trees.beginTree(hyperplanes: true)
        grow(node: 0, level: 0, start: 0, end: sampleSize, base: base, rng: &rng)
    }

    /// Copies and scales the sampled rows; missing and infinite values take the median (0 after scaling), as in scoring.
    private mutating func loadSample(_ x: UnsafeBufferPointer<Double>, rows: [Int]) {
        var k = 0
        for i in rows {
            for j in 0..<columns {
                let v = x[i * columns + j]
                sample[k] = v.isFinite ? (v - scaler.center[j]) / scaler.scale[j] : 0
                k += 1
            }
        }
    }

    private mutating func grow(node: Int, level: Int, start: Int, end: Int, base: Int, rng: inout RandomSource) {
        if level == trees.depth || end - start <= 1 || !split(node: base + node, start: start, end: end, rng: &rng) {
            trees.setLeaf(node: node, level: level, rows: end - start, base: base)
            return
        }
        let mid = partition(cut: trees.cuts[base + node], start: start, end: end)
        grow(node: 2 * node + 1, level: level + 1, start: start, end: mid, base: base, rng: &rng)
        grow(node: 2 * node + 2, level: level + 1, start: mid, end: end, base: base, rng: &rng)
    }

    /// A random hyperplane through a random point of the node's bounding box; the
    /// node's rows are projected onto its normal with one BLAS gemv. False when every feature is constant.
    private mutating func split(node at: Int, start: Int, end: Int, rng: inout RandomSource) -> Bool {
        for j in 0..<columns { lo[j] = .infinity; hi[j] = -.infinity }
        for r in start..<end {
            for j in 0..<columns {
                let v = sample[r * columns + j]
                if v < lo[j] { lo[j] = v }
                if v > hi[j] { hi[j] = v }
            }
        }
        var varying = false
        for j in 0..<columns where hi[j] > lo[j] { varying = true }
        guard varying else { return false }
        let nb = at * columns
        var offset = 0.0
        for j in 0..<columns {
            let w = hi[j] > lo[j] ? rng.normal() : 0
            trees.normals[nb + j] = w
            offset += w * (lo[j] + rng.unit() * (hi[j] - lo[j]))
        }
        trees.cuts[at] = offset
        let n = end - start
        trees.normals.withUnsafeBufferPointer { w in
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

    /// Moves rows whose projection is at most `cut` before the others; returns the boundary.
    private mutating func partition(cut t: Double, start: Int, end: Int) -> Int {
        var i = start, k = end - 1
        while i <= k {
            if projection[i - start] <= t {
                i += 1
            } else {
                for c in 0..<columns { sample.swapAt(i * columns + c, k * columns + c) }
                projection.swapAt(i - start, k - start)
                k -= 1
            }
        }
        return i
    }
}
