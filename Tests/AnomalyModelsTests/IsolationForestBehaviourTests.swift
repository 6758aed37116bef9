import Testing

@testable import AnomalyModels

/// The packed scoring kernel against the file's float64 semantics, and the edge cases of fitting and scoring.
@Suite struct IsolationForestBehaviourTests {
    static let names = IsolationForestFileTests.names

    @Test(arguments: [1, 3, 8, 11])
    func packedKernelScoresExactlyAsTheFloat64Trees(depth: Int) throws {
        var p = IsolationForestParameters()
        p.trees = 30
        p.maxDepth = depth
        p.seed = UInt64(depth)
        let x = IsolationForestFileTests.randomRows(1_500, seed: 3, withMissing: true)
        let forest = try IsolationForest.fit(x, featureNames: Self.names, parameters: p)
        #expect(forest.packed != nil, "fitted cuts are float32 values, so the forest packs")
        let packed = forest.score(x, packedTrees: true)
        let plain = forest.score(x, packedTrees: false)
        #expect(IsolationForestFileTests.bits(packed) == IsolationForestFileTests.bits(plain))
        // Rows sitting exactly on cuts, on either side by one ulp, and at the extremes of float64.
        var edge: [Double] = []
        for t in 0..<5 {
            for i in 0..<forest.internalNodes where forest.cuts[t * forest.internalNodes + i].isFinite {
                let j = Int(forest.features[t * forest.internalNodes + i])
                let z = forest.cuts[t * forest.internalNodes + i]
                for v in [z, z.nextUp, z.nextDown] {
                    var row = [Double](repeating: 0, count: Self.names.count)
                    row[j] = v * forest.scaler.scale[j] + forest.scaler.center[j]
                    edge += row
                }
            }
        }
        edge += [Double.greatestFiniteMagnitude, -.greatestFiniteMagnitude, 1e300, -1e-300]
        let e = FeatureMatrix(rows: edge.count / 4, columns: 4, values: edge)
        #expect(IsolationForestFileTests.bits(forest.score(e, packedTrees: true)) == IsolationForestFileTests.bits(forest.score(e, packedTrees: false)))
    }

    @Test func missingAndNonFiniteFeaturesScoreAsTheTrainingMedian() throws {
        let forest = try IsolationForestFileTests.forest(extended: false)
        let median = forest.scaler.center
        let rows = FeatureMatrix(
            rows: 4, columns: 4,
            values: median + [.nan, median[1], median[2], median[3]] + [median[0], .infinity, median[2], -.infinity]
                + [.nan, .nan, .nan, .nan])
        let s = forest.score(rows)
        #expect(s.allSatisfy { $0 == s[0] } && s[0] > 0 && s[0] < 1)
    }

    @Test func constantFeaturesAreNeverCutAndAllConstantDataScoresEvenly() throws {
        var v: [Double] = []
        for i in 0..<300 { v += [5, Double(i % 17), 5, -1] }
        let x = FeatureMatrix(rows: 300, columns: 4, values: v)
        let forest = try IsolationForest.fit(x, featureNames: Self.names, parameters: IsolationForestParameters())
        for (k, f) in forest.features.enumerated() where forest.cuts[k].isFinite { #expect(f == 1) }
        let flat = FeatureMatrix(rows: 50, columns: 4, values: Array(repeating: 2, count: 200))
        let still = try IsolationForest.fit(flat, featureNames: Self.names, parameters: IsolationForestParameters())
        let s = still.score(flat)
        #expect(s.allSatisfy { $0 == s[0] })
        #expect(still.cuts.allSatisfy { $0 == .infinity }, "nothing to separate: every tree is one leaf")
    }

    @Test func fewerRowsThanTheSampleSizeUseEveryRow() throws {
        let x = IsolationForestFileTests.randomRows(40, seed: 9)
        let forest = try IsolationForest.fit(x, featureNames: Self.names, parameters: IsolationForestParameters())
        #expect(forest.samplesPerTree == 40)
        #expect(forest.depth == 6, "ceil(log2(40))")
        let s = forest.score(x)
        #expect(s.allSatisfy { $0 > 0 && $0 < 1 })
    }

    @Test func emptyTrainingDataAndBadParametersAreClearErrors() throws {
        #expect(throws: ModelError.emptyTrainingData) {
            try IsolationForest.fit(FeatureMatrix(rows: 0, columns: 4, values: []), featureNames: Self.names, parameters: .init())
        }
        #expect(throws: ModelError.self) { try IsolationForestParameters(settings: ["trees=0"]) }
        #expect(throws: ModelError.self) { try IsolationForestParameters(settings: ["depth=3"]) }
        #expect(throws: ModelError.self) { try IsolationForestParameters(settings: ["trees"]) }
        let p = try IsolationForestParameters(settings: ["trees=12", "extended=true", "contamination=0.02"])
        #expect(p.trees == 12 && p.extended && p.contamination == 0.02)
    }

    @Test func contaminationSetsTheThresholdAtThatTrainingQuantile() throws {
        var p = IsolationForestParameters()
        p.contamination = 0.05
        let x = IsolationForestFileTests.randomRows(1_000, seed: 4)
        let forest = try IsolationForest.fit(x, featureNames: Self.names, parameters: p)
        let flagged = forest.flags(forest.score(x)).filter { $0 }.count
        #expect(flagged >= 40 && flagged <= 50, "about 5% of 1000 rows flagged, found \(flagged)")
    }
}
