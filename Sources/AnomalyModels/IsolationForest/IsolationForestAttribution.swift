import Foundation

extension IsolationForest {
    /// Which features isolated each row: per row, one share per feature, summing to 1.
    ///
    /// In every tree the row's path is walked as scoring walks it, and each real cut on the path
    /// credits its feature with how many times over it halved the training sample the row still
    /// shared (log2 of the node's rows over the rows of the child the row went to; padding nodes,
    /// which send every row left, credit nothing), normalised over the path. A cut that sends an
    /// unusual row away from nearly all of the sample at once takes most of that tree's credit; an
    /// ordinary row's cuts each halve the sample about once, so its credit spreads. Trees are weighted
    /// by 1 / (path length)², so those that isolated the row early count most. Hyperplane forests
    /// credit each cut's features by the size of their term in the cut (|normal × value|).
    /// Rows × columns, row-major; a row of NaN features only is credited evenly.
    public func attribution(_ x: FeatureMatrix) -> [Double] { attribution(x, credits: cutCredits()) }

    /// `attribution(_:)` with the cuts' credits given (`cutCredits()`, which a caller attributing many
    /// batches computes once).
    public func attribution(_ x: FeatureMatrix, credits: [Double]) -> [Double] {
        precondition(x.columns == columns, "attributing \(x.columns) columns with a model of \(columns)")
        let d = columns, inner = internalNodes
        var out = [Double](repeating: 0, count: x.rows * d)
        var block = [Double](repeating: 0, count: Self.blockRows * d)
        var credit = [Double](repeating: 0, count: d)
        var start = 0
        while start < x.rows {
            let n = min(Self.blockRows, x.rows - start)
            prepare(x, from: start, count: n, into: &block)
            if !isExtended {
                creditAxis(block, rows: n, into: &out, at: start * d, credits: credits)
                start += n
                continue
            }
            for r in 0..<n {
                let row = (start + r) * d
                for t in 0..<treeCount {
                    var i = 0, h = 0
                    if isExtended {
                        for j in 0..<d { credit[j] = 0 }
                        for _ in 0..<depth {
                            let c = cuts[t * inner + i]
                            let normal = (t * inner + i) * d
                            var v = 0.0, total = 0.0
                            for j in 0..<d {
                                v += normals[normal + j] * block[r * d + j]
                                total += abs(normals[normal + j] * block[r * d + j])
                            }
                            if c.isFinite, total > 0 {
                                for j in 0..<d { credit[j] += abs(normals[normal + j] * block[r * d + j]) / total }
                                h += 1
                            }
                            i = 2 * i + 1 + (v > c ? 1 : 0)
                        }
                        if h > 0 { for j in 0..<d { out[row + j] += credit[j] / Double(h) } }
                    }
                }
            }
            start += n
        }
        for r in 0..<x.rows {
            var total = 0.0
            for j in 0..<d { total += out[r * d + j] }
            for j in 0..<d { out[r * d + j] = total > 0 ? out[r * d + j] / total : 1 / Double(d) }
        }
        return out
    }

    /// The axis-parallel trees' credit for the `rows` scaled rows of `block`, added to `out` from `base`.
    private func creditAxis(_ block: [Double], rows n: Int, into out: inout [Double], at base: Int, credits: [Double]) {
        let d = columns, inner = internalNodes, nodes = 2 * inner + 1, levels = depth
        var path = [Int32](repeating: 0, count: max(1, levels))
        var weight = [Double](repeating: 0, count: max(1, levels))
        cuts.withUnsafeBufferPointer { cut in
            features.withUnsafeBufferPointer { feature in
                credits.withUnsafeBufferPointer { credit in
                    leafValues.withUnsafeBufferPointer { leaf in
                        block.withUnsafeBufferPointer { x in
                            out.withUnsafeMutableBufferPointer { o in
                                path.withUnsafeMutableBufferPointer { p in
                                    weight.withUnsafeMutableBufferPointer { w in
                                        for r in 0..<n {
                                            let row = x.baseAddress! + r * d, dst = o.baseAddress! + base + r * d
                                            for t in 0..<treeCount {
                                                var i = 0, h = 0, sum = 0.0
                                                for _ in 0..<levels {
                                                    let c = cut[t * inner + i]
                                                    let f = Int(feature[t * inner + i])
                                                    let child = 2 * i + 1 + (row[f] > c ? 1 : 0)
                                                    if c.isFinite {
                                                        let left = credit[t * nodes + child]
                                                        p[h] = Int32(f); w[h] = left; sum += left; h += 1
                                                    }
                                                    i = child
                                                }
                                                guard h > 0, sum > 0 else { continue }
                                                // A tree that isolated the row early speaks louder: weight 1 / h², h its path
                                                // length (the score falls with h; squaring lets the few trees that cut the row
                                                // out early outvote the many where it went deep, whose cuts fall on whatever
                                                // features they drew).
                                                let length = max(1, leaf[t * (inner + 1) + i - inner])
                                                let scale = 1 / (sum * length * length)
                                                for k in 0..<h { dst[Int(p[k])] += w[k] * scale }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Per node (`[t * (2I + 1) + node]`), the credit of the cut above it for a row that goes there:
    /// log2(rows of the parent / rows of the node), 0 for the root and where the parent had no rows.
    public func cutCredits() -> [Double] {
        let sizes = nodeSizes(), nodes = 2 * internalNodes + 1
        var out = [Double](repeating: 0, count: sizes.count)
        for t in 0..<treeCount {
            for node in 1..<nodes {
                let parent = sizes[t * nodes + (node - 1) / 2]
                out[t * nodes + node] = parent > 0 ? log2(parent / max(1, sizes[t * nodes + node])) : 0
            }
        }
        return out
    }

    /// Training rows that reached each node, `[t * (2I + 1) + node]` over internal nodes and leaf slots, recovered
    /// from the leaf values (depth + c(rows at the leaf), inverted) and summed upwards.
    public func nodeSizes() -> [Double] {
        let inner = internalNodes, nodes = 2 * inner + 1
        var sizes = [Double](repeating: 0, count: treeCount * nodes)
        for t in 0..<treeCount {
            func fill(_ i: Int, _ level: Int, _ real: Int) -> Double {
                if i >= inner {
                    let n = Self.rows(averagePathValue: leafValues[t * (inner + 1) + i - inner] - Double(real))
                    sizes[t * nodes + i] = n
                    return n
                }
                // Below a padding node every row goes left; its right side is never reached.
                let c = cuts[t * inner + i]
                let left = fill(2 * i + 1, level + 1, c.isFinite ? real + 1 : real)
                let right = fill(2 * i + 2, level + 1, c.isFinite ? real + 1 : real)
                let n = c.isFinite ? left + right : left
                sizes[t * nodes + i] = n
                return n
            }
            _ = fill(0, 0, 0)
        }
        return sizes
    }

    /// The n with c(n) = `value` (0 or 1 for 0; n ≥ 2 by bisection), as a number of rows.
    static func rows(averagePathValue value: Double) -> Double {
        guard value > 1e-9 else { return value < -0.5 ? 0 : 1 }
        var lo = 1.0, hi = 2.0
        while averagePathLength(Int(hi)) < value, hi < 1e9 { hi *= 2 }
        for _ in 0..<60 {
            let mid = (lo + hi) / 2
            if continuousPathLength(mid) < value { lo = mid } else { hi = mid }
        }
        return ((lo + hi) / 2).rounded()
    }

    /// c(n) for real n ≥ 1 (2(ln(n − 1) + γ) − 2(n − 1)/n beyond 2, linear between 1 and 2), for inverting.
    static func continuousPathLength(_ n: Double) -> Double {
        if n <= 2 { return max(0, n - 1) }
        return 2 * (log(n - 1) + 0.5772156649015329) - 2 * (n - 1) / n
    }
}
