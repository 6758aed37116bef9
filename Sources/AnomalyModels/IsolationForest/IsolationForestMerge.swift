import Foundation

extension IsolationForest {
    /// One forest from forests fitted apart (the shards of a sharded fit), as
    /// if their trees had been grown together.
    ///
    /// - The common scaler is the row-weighted mean of the parts' centers and
    ///   scales (a part's own when it is the only one, or all agree). Every cut
    ///   is re-expressed in it (`rescaled(to:)`), so each tree still splits the
    ///   raw rows where it did.
    /// - Shallower trees are padded to the deepest part's depth, and leaf
    ///   values are scaled so that each tree's path lengths keep their weight
    ///   against the merged normaliser c(ψ) when a part saw fewer rows than
    ///   the sample size.
    /// - The threshold is chosen as `fit` chooses it, on `sample` (rows drawn
    ///   from the parts' training rows, raw), each row counting `weights[i]`.
    ///
    /// Throws `ModelError.badParameter` when the parts disagree on features or
    /// on the kind of cut, or `parameters` is not what they were fitted with
    /// apart from tree count and seed.
    public static func merge(
        _ parts: [IsolationForest], rows: [Int], parameters: IsolationForestParameters, sample: FeatureMatrix,
        weights: [Double]
    ) throws -> IsolationForest {
        guard let first = parts.first, parts.count == rows.count else {
            throw ModelError.badParameter("merging needs one row count per forest, and at least one forest")
        }
        for part in parts {
            guard part.featureNames == first.featureNames else {
                throw ModelError.columnMismatch(expected: first.featureNames, found: part.featureNames)
            }
            guard part.isExtended == parameters.extended else {
                throw ModelError.badParameter("a part was fitted with extended=\(part.isExtended), the merge asks \(parameters.extended)")
            }
        }
        let scaler = commonScaler(parts.map(\.scaler), rows: rows)
        let depth = parts.map(\.depth).max() ?? 0
        let samples = parts.map(\.samplesPerTree).max() ?? 1
        var features: [Int32] = [], cuts: [Double] = [], normals: [Double] = [], leafValues: [Double] = []
        for part in parts {
            let moved = part.rescaled(to: scaler).padded(to: depth)
            let own = averagePathLength(part.samplesPerTree)
            let weight = own > 0 ? averagePathLength(samples) / own : 1
            features += moved.features
            cuts += moved.cuts
            normals += moved.normals
            leafValues += part.samplesPerTree == samples ? moved.leafValues : moved.leafValues.map { $0 * weight }
        }
        var forest = IsolationForest(
            parameters: parameters, featureNames: first.featureNames, scaler: scaler, depth: depth,
            treeCount: parts.reduce(0) { $0 + $1.treeCount }, samplesPerTree: samples, threshold: 0.5,
            features: features, cuts: cuts, normals: normals, leafValues: leafValues)
        forest.threshold = forest.threshold(onSample: sample, weights: weights)
        return forest
    }

    static func commonScaler(_ scalers: [FeatureScaler], rows: [Int]) -> FeatureScaler {
        guard let first = scalers.first, !scalers.allSatisfy({ $0 == first }) else { return scalers[0] }
        let total = Double(max(1, rows.reduce(0, +)))
        var center = [Double](repeating: 0, count: first.center.count)
        var scale = center
        for (s, n) in zip(scalers, rows) {
            let w = Double(n) / total
            for j in center.indices {
                center[j] += w * s.center[j]
                scale[j] += w * s.scale[j]
            }
        }
        return FeatureScaler(center: center, scale: scale.map { $0 > 0 && $0.isFinite ? $0 : 1 })
    }

    /// The same trees with cuts (and hyperplanes) in `target`'s scaling. Scaling
    /// is affine per feature: z = (x − c) / s here and z' = (x − c') / s'
    /// there, so z > t exactly when z' > (c + s·t − c') / s', and a hyperplane
    /// w·z > b becomes w'·z' > b' with w'ⱼ = wⱼ·s'ⱼ/sⱼ and
    /// b' = b − Σ wⱼ·(c'ⱼ − cⱼ)/sⱼ. Axis cuts are rounded to float32 so the
    /// packed scoring kernel still applies; that moves a cut by at most half a
    /// float32 step, which only a row within that distance of it notices.
    public func rescaled(to target: FeatureScaler) -> IsolationForest {
        guard target != scaler else { return self }
        let d = columns, inner = internalNodes
        var cuts = self.cuts, normals = self.normals
        if isExtended {
            for node in 0..<(treeCount * inner) where cuts[node].isFinite {
                var offset = cuts[node]
                for j in 0..<d {
                    let w = normals[node * d + j]
                    offset -= w * (target.center[j] - scaler.center[j]) / scaler.scale[j]
                    normals[node * d + j] = w * target.scale[j] / scaler.scale[j]
                }
                cuts[node] = offset
            }
        } else {
            for node in cuts.indices where cuts[node].isFinite {
                let j = Int(features[node])
                let raw = scaler.center[j] + scaler.scale[j] * cuts[node]
                cuts[node] = Double(Float((raw - target.center[j]) / target.scale[j]))
            }
        }
        return IsolationForest(
            parameters: parameters, featureNames: featureNames, scaler: target, depth: depth, treeCount: treeCount,
            samplesPerTree: samplesPerTree, threshold: threshold, features: features, cuts: cuts, normals: normals,
            leafValues: leafValues)
    }

    /// The same trees laid out at a greater depth: below each old leaf slot, cuts of
    /// +infinity send every row left to the slot that now holds its value.
    func padded(to newDepth: Int) -> IsolationForest {
        guard newDepth > depth else { return self }
        let d = columns, inner = internalNodes, newInner = (1 << newDepth) - 1
        var features = [Int32](repeating: 0, count: treeCount * newInner)
        var cuts = [Double](repeating: .infinity, count: treeCount * newInner)
        var normals = [Double](repeating: 0, count: isExtended ? treeCount * newInner * d : 0)
        var leafValues = [Double](repeating: 0, count: treeCount * (newInner + 1))
        for t in 0..<treeCount {
            // Node k at level l of the old tree keeps its heap index k in the new one.
            for k in 0..<inner {
                features[t * newInner + k] = self.features[t * inner + k]
                cuts[t * newInner + k] = self.cuts[t * inner + k]
                for j in 0..<(isExtended ? d : 0) { normals[(t * newInner + k) * d + j] = self.normals[(t * inner + k) * d + j] }
            }
            for leaf in 0...inner {
                var slot = inner + leaf
                for _ in depth..<newDepth { slot = 2 * slot + 1 }
                leafValues[t * (newInner + 1) + slot - newInner] = self.leafValues[t * (inner + 1) + leaf]
            }
        }
        return IsolationForest(
            parameters: parameters, featureNames: featureNames, scaler: scaler, depth: newDepth, treeCount: treeCount,
            samplesPerTree: samplesPerTree, threshold: threshold, features: features, cuts: cuts, normals: normals,
            leafValues: leafValues)
    }

    /// `fit`'s threshold rule on a weighted sample: the score below which a
    /// weight share of 1 − contamination lies. With unit weights on all the
    /// training rows it is exactly the threshold `fit` chooses.
    func threshold(onSample x: FeatureMatrix, weights: [Double]) -> Double {
        if let t = parameters.threshold { return t }
        guard let c = parameters.contamination, x.rows > 0 else { return 0.5 }
        let scores = score(x)
        let order = scores.indices.filter { !scores[$0].isNaN }.sorted { scores[$0] < scores[$1] }
        guard !order.isEmpty else { return 0.5 }
        let total = order.reduce(0.0) { $0 + weights[$1] }
        let position = (total * (1 - c)).rounded(.down)
        var below = 0.0
        for i in order {
            below += weights[i]
            if below > position { return scores[i] }
        }
        return scores[order[order.count - 1]]
    }
}
