import CForestKernel
import Foundation

extension IsolationForest {
    /// `score` through the packed trees: rows are scaled into a block of order
    /// keys (by `CForestKernel` when it takes the forest), then every tree
    /// walks the whole block before the next tree starts.
    /// `vector: false` keeps to the scalar kernel (the tests compare the two).
    func scorePacked(_ packed: PackedTrees, _ x: FeatureMatrix, norm: Double, vector: Bool = true) -> [Double] {
        let d = columns, blockRows = packed.blockRows
        var out = [Double](repeating: 0, count: x.rows)
        var keys = [UInt32](repeating: 0, count: blockRows * d)
        var acc = [Double](repeating: 0, count: blockRows)
        x.values.withUnsafeBufferPointer { src in
            var start = 0
            while start < x.rows {
                let n = min(blockRows, x.rows - start)
                keys.withUnsafeMutableBufferPointer { k in
                    if vector, packed.hasVectorKernel, let rows = src.baseAddress,
                        fw_forest_keys(
                            rows + start * d, Int32(n), Int32(d), scaler.center, scaler.scale, k.baseAddress,
                            Int32(blockRows)) == 1
                    {
                        return
                    }
                    for r in 0..<n {
                        for j in 0..<d {
                            let v = src[(start + r) * d + j]
                            let z = v.isFinite ? (v - scaler.center[j]) / scaler.scale[j] : 0
                            k[j * blockRows + r] = PackedTrees.keyRoundingUp(z)
                        }
                    }
                }
                for r in 0..<n { acc[r] = 0 }
                if !(vector && accumulateVector(packed, keys, rows: n, into: &acc)) {
                    accumulatePacked(packed, keys, rows: n, into: &acc)
                }
                for r in 0..<n { out[start + r] = exp2(acc[r] * norm) }
                start += n
            }
        }
        return out
    }

    /// `accumulatePacked` through the AVX-512 kernel; false (acc untouched) when the forest or CPU cannot use it.
    private func accumulateVector(_ packed: PackedTrees, _ keys: [UInt32], rows n: Int, into acc: inout [Double]) -> Bool {
        guard packed.hasVectorKernel else { return false }
        return packed.vectorCuts.withUnsafeBufferPointer { cuts in
            packed.vectorFeatures.withUnsafeBufferPointer { features in
                leafValues.withUnsafeBufferPointer { leaves in
                    keys.withUnsafeBufferPointer { k in
                        acc.withUnsafeMutableBufferPointer { a in
                            // keys and acc hold blockRows (a multiple of 64) rows, as the kernel reads and writes four vectors at a time.
                            fw_forest_accumulate(
                                cuts.baseAddress, features.baseAddress, leaves.baseAddress, Int32(treeCount), Int32(depth),
                                k.baseAddress, Int32(columns), Int32(packed.blockRows), Int32(n), a.baseAddress) == 1
                        }
                    }
                }
            }
        }
    }

    /// Adds each row's path length in every tree to `acc`. The block walks a
    /// tree level by level: within a level every row's step is independent of
    /// the others, so the processor overlaps the dependent loads of many rows
    /// (node, then the row's key for the node's feature) instead of waiting on
    /// each walk in turn.
    private func accumulatePacked(_ packed: PackedTrees, _ keys: [UInt32], rows n: Int, into acc: inout [Double]) {
        let levels = depth, stride = 1 << depth
        var index = [Int](repeating: 1, count: n)
        packed.nodes.withUnsafeBufferPointer { nodeBuffer in
            leafValues.withUnsafeBufferPointer { leafBuffer in
                keys.withUnsafeBufferPointer { kb in
                    acc.withUnsafeMutableBufferPointer { a in
                        index.withUnsafeMutableBufferPointer { at in
                            guard let nodes = nodeBuffer.baseAddress, let leaves = leafBuffer.baseAddress,
                                let x = kb.baseAddress, let i = at.baseAddress
                            else { return }
                            for t in 0..<treeCount {
                                let tree = nodes + t * stride
                                // Leaf slot k of this tree is heap index stride + k.
                                let leaf = leaves + t * stride - stride
                                if levels == 0 {
                                    for r in 0..<n { i[r] = 1 }
                                } else {
                                    // The root is the same node for every row: a contiguous compare the compiler vectorises.
                                    let root = tree[1]
                                    let rootColumn = x + Int(truncatingIfNeeded: root &>> 32)
                                    let rootCut = UInt32(truncatingIfNeeded: root)
                                    for r in 0..<n { i[r] = rootColumn[r] > rootCut ? 3 : 2 }
                                }
                                for _ in 1..<max(levels, 1) {
                                    for r in 0..<n { i[r] = 2 &* i[r] &+ step(tree[i[r]], x, r) }
                                }
                                for r in 0..<n { a[r] += leaf[i[r]] }
                            }
                        }
                    }
                }
            }
        }
    }

    /// 1 when the row goes right (its key above the cut's), else 0.
    @inline(__always)
    private func step(_ node: UInt64, _ rows: UnsafePointer<UInt32>, _ k: Int) -> Int {
        rows[Int(truncatingIfNeeded: node &>> 32) &+ k] > UInt32(truncatingIfNeeded: node) ? 1 : 0
    }
}
