import Foundation

extension IsolationForest {
    /// Rows scored per pass over the trees: small enough that the block and a
    /// tree both stay in L1/L2, large enough to amortise the loop over trees.
    static let blockRows = 512

    /// Anomaly scores s(x) = 2^(-E[h(x)] / c(ψ)) in [0, 1], one per row of `x`.
    /// Missing or non-finite values (NaN, ±infinity) are replaced by the training median.
    public func score(_ x: FeatureMatrix) -> [Double] { score(x, packedTrees: true) }

    /// `score`, optionally through the unpacked float64 arrays (which tests compare against the packed kernel).
    func score(_ x: FeatureMatrix, packedTrees: Bool) -> [Double] {
        precondition(x.columns == columns, "scoring \(x.columns) columns with a model of \(columns)")
        var out = [Double](repeating: 0, count: x.rows)
        var block = [Double](repeating: 0, count: Self.blockRows * columns)
        var acc = [Double](repeating: 0, count: Self.blockRows)
        let norm = -1 / (Double(treeCount) * averagePathLength(samplesPerTree))
        if packedTrees, let packed { return scorePacked(packed, x, norm: norm) }
        var start = 0
        while start < x.rows {
            let n = min(Self.blockRows, x.rows - start)
            prepare(x, from: start, count: n, into: &block)
            for r in 0..<n { acc[r] = 0 }
            if isExtended { accumulateHyperplanes(block, rows: n, into: &acc) } else { accumulateAxis(block, rows: n, into: &acc) }
            for r in 0..<n { out[start + r] = exp2(acc[r] * norm) }
            start += n
        }
        return out
    }

    /// Copies rows into the block, scaled, with NaN imputed as the median.
    func prepare(_ x: FeatureMatrix, from: Int, count: Int, into block: inout [Double]) {
        let d = columns
        x.values.withUnsafeBufferPointer { src in
            block.withUnsafeMutableBufferPointer { dst in
                for r in 0..<count {
                    for j in 0..<d {
                        let v = src[(from + r) * d + j]
                        dst[r * d + j] = v.isFinite ? (v - scaler.center[j]) / scaler.scale[j] : 0
                    }
                }
            }
        }
    }

    /// Sum of path lengths over all trees for each row of the block (axis-parallel cuts).
    private func accumulateAxis(_ block: [Double], rows n: Int, into acc: inout [Double]) {
        let inner = internalNodes, d = columns, levels = depth
        features.withUnsafeBufferPointer { feat in
            cuts.withUnsafeBufferPointer { cut in
                leafValues.withUnsafeBufferPointer { leaf in
                    block.withUnsafeBufferPointer { xb in
                        acc.withUnsafeMutableBufferPointer { a in
                            let x = xb.baseAddress!
                            for t in 0..<treeCount {
                                let f = feat.baseAddress! + t * inner
                                let c = cut.baseAddress! + t * inner
                                let l = leaf.baseAddress! + t * (inner + 1) - inner
                                var r = 0
                                // Eight independent rows at a time: each step is a chain of dependent
                                // loads (node -> feature -> value), so throughput comes from overlap.
                                while r + 8 <= n {
                                    let x0 = x + r * d
                                    var i0 = 0, i1 = 0, i2 = 0, i3 = 0, i4 = 0, i5 = 0, i6 = 0, i7 = 0
                                    for _ in 0..<levels {
                                        i0 = 2 &* i0 &+ 1 &+ step(x0[Int(f[i0])], c[i0])
                                        i1 = 2 &* i1 &+ 1 &+ step(x0[d &+ Int(f[i1])], c[i1])
                                        i2 = 2 &* i2 &+ 1 &+ step(x0[2 &* d &+ Int(f[i2])], c[i2])
                                        i3 = 2 &* i3 &+ 1 &+ step(x0[3 &* d &+ Int(f[i3])], c[i3])
                                        i4 = 2 &* i4 &+ 1 &+ step(x0[4 &* d &+ Int(f[i4])], c[i4])
                                        i5 = 2 &* i5 &+ 1 &+ step(x0[5 &* d &+ Int(f[i5])], c[i5])
                                        i6 = 2 &* i6 &+ 1 &+ step(x0[6 &* d &+ Int(f[i6])], c[i6])
                                        i7 = 2 &* i7 &+ 1 &+ step(x0[7 &* d &+ Int(f[i7])], c[i7])
                                    }
                                    a[r] += l[i0]; a[r + 1] += l[i1]; a[r + 2] += l[i2]; a[r + 3] += l[i3]
                                    a[r + 4] += l[i4]; a[r + 5] += l[i5]; a[r + 6] += l[i6]; a[r + 7] += l[i7]
                                    r += 8
                                }
                                while r < n {
                                    let xr = x + r * d
                                    var i = 0
                                    for _ in 0..<levels { i = 2 &* i &+ 1 &+ step(xr[Int(f[i])], c[i]) }
                                    a[r] += l[i]
                                    r += 1
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Sum of path lengths for hyperplane cuts: a dot product with the node's normal at each level.
    private func accumulateHyperplanes(_ block: [Double], rows n: Int, into acc: inout [Double]) {
        let inner = internalNodes, d = columns, levels = depth
        normals.withUnsafeBufferPointer { w in
            cuts.withUnsafeBufferPointer { cut in
                leafValues.withUnsafeBufferPointer { leaf in
                    block.withUnsafeBufferPointer { xb in
                        for t in 0..<treeCount {
                            let c = cut.baseAddress! + t * inner
                            let wt = w.baseAddress! + t * inner * d
                            let l = leaf.baseAddress! + t * (inner + 1) - inner
                            for r in 0..<n {
                                let xr = xb.baseAddress! + r * d
                                var i = 0
                                for _ in 0..<levels {
                                    let wi = wt + i * d
                                    var p = 0.0
                                    for j in 0..<d { p += wi[j] * xr[j] }
                                    i = 2 &* i &+ 1 &+ (p > c[i] ? 1 : 0)
                                }
                                acc[r] += l[i]
                            }
                        }
                    }
                }
            }
        }
    }

    /// 1 when `x > cut` (go right), else 0, without a branch: the sign bit of
    /// `cut - x`. Exact for finite `x` (scoring makes every input finite) and any
    /// cut, including the +infinity of padded leaves.
    @inline(__always)
    private func step(_ x: Double, _ cut: Double) -> Int { Int(truncatingIfNeeded: (cut - x).bitPattern >> 63) }

    /// Flags: score above the threshold.
    public func flags(_ scores: [Double]) -> [Bool] { scores.map { $0 > threshold } }
}
