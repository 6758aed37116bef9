import Foundation
import Testing

@testable import AnomalyModels

/// Merging models fitted apart, as `forewarn train --shard` does.
struct ShardMergeTests {
    static let names = IsolationForestFileTests.names

    /// Rows whose features sit around `shift`, so forests fitted on them get different scalers.
    static func rows(_ n: Int, seed: UInt64, shift: Double) -> FeatureMatrix {
        var m = IsolationForestFileTests.randomRows(n, seed: seed)
        for i in m.values.indices { m.values[i] = m.values[i] * (1 + shift / 10) + shift }
        return m
    }

    static func forest(_ x: FeatureMatrix, trees: Int = 40, seed: UInt64 = 1, extended: Bool = false) throws
        -> IsolationForest
    {
        var p = IsolationForestParameters()
        p.trees = trees
        p.seed = seed
        p.extended = extended
        return try IsolationForest.fit(x, featureNames: names, parameters: p)
    }

    /// Sum of path lengths over all trees, in units of c(ψ), recovered from a score.
    static func pathSum(_ score: Double, _ f: IsolationForest) -> Double {
        -log2(score) * Double(f.treeCount) * averagePathLength(f.samplesPerTree)
    }

    @Test func oneForestMergedWithItsOwnRowsIsTheSameForest() throws {
        let x = Self.rows(600, seed: 4, shift: 0)
        let fitted = try Self.forest(x)
        let merged = try IsolationForest.merge(
            [fitted], rows: [x.rows], parameters: fitted.parameters, sample: x, weights: Array(repeating: 1, count: x.rows))
        #expect(merged.threshold == fitted.threshold, "the weighted rule with unit weights is fit's rule")
        #expect(merged.scaler == fitted.scaler && merged.depth == fitted.depth)
        #expect(IsolationForestFileTests.bits(merged.score(x)) == IsolationForestFileTests.bits(fitted.score(x)))
    }

    @Test(arguments: [false, true])
    func rescaledCutsSplitTheRawRowsWhereTheyDid(extended: Bool) throws {
        let fitted = try Self.forest(Self.rows(500, seed: 9, shift: 0), extended: extended)
        let target = FeatureScaler(center: [3, -2, 40, 0.5], scale: [0.25, 7, 3, 1.5])
        let moved = fitted.rescaled(to: target)
        #expect(moved.scaler == target)
        #expect(extended || moved.packed != nil, "axis cuts stay float32, so the packed kernel still applies")
        let probe = Self.rows(2_000, seed: 77, shift: 1)
        let before = fitted.score(probe), after = moved.score(probe)
        for i in before.indices {
            #expect(abs(Self.pathSum(before[i], fitted) - Self.pathSum(after[i], moved)) < 1e-6, "row \(i)")
        }
    }

    @Test func paddedTreesScoreAsTheShallowOnes() throws {
        var p = IsolationForestParameters()
        p.trees = 20
        p.maxDepth = 3
        let x = Self.rows(300, seed: 2, shift: 0)
        let shallow = try IsolationForest.fit(x, featureNames: Self.names, parameters: p)
        let deep = shallow.padded(to: 7)
        #expect(deep.depth == 7)
        #expect(IsolationForestFileTests.bits(deep.score(x)) == IsolationForestFileTests.bits(shallow.score(x)))
    }

    @Test func aMergedForestIsTheUnionOfItsPartsTrees() throws {
        let a = Self.rows(800, seed: 5, shift: 0), b = Self.rows(500, seed: 6, shift: 20)
        let fa = try Self.forest(a, trees: 30, seed: 1), fb = try Self.forest(b, trees: 20, seed: 2)
        #expect(fa.scaler != fb.scaler)
        var p = fa.parameters
        p.trees = 50
        let sample = FeatureMatrix(rows: a.rows + b.rows, columns: a.columns, values: a.values + b.values)
        let merged = try IsolationForest.merge(
            [fa, fb], rows: [a.rows, b.rows], parameters: p, sample: sample,
            weights: Array(repeating: 1, count: sample.rows))
        #expect(merged.treeCount == 50)
        let probe = Self.rows(500, seed: 8, shift: 10)
        let sa = fa.score(probe), sb = fb.score(probe), sm = merged.score(probe)
        for i in 0..<probe.rows {
            let union = Self.pathSum(sa[i], fa) + Self.pathSum(sb[i], fb)
            #expect(abs(Self.pathSum(sm[i], merged) - union) < 1e-6, "row \(i)")
        }
        let flagged = merged.flags(merged.score(sample)).filter { $0 }.count
        #expect(abs(Double(flagged) / Double(sample.rows) - 0.01) < 0.005, "the threshold is recomputed on the merged forest")
    }

    @Test func aSampleWeightedByItsShardsRowsGivesTheThresholdOfAllRows() throws {
        let x = Self.rows(4_000, seed: 12, shift: 0)
        let f = try Self.forest(x)
        var every = [Double](), weights = [Double]()
        for r in stride(from: 0, to: x.rows, by: 4) { every += x.values[(r * x.columns)..<((r + 1) * x.columns)] }
        weights = Array(repeating: 4, count: every.count / x.columns)
        let sample = FeatureMatrix(rows: weights.count, columns: x.columns, values: every)
        let t = f.threshold(onSample: sample, weights: weights)
        #expect(abs(t - f.threshold) < 0.01)
    }

    /// The fixture's parameters with one candidate each, as sharded training requires.
    static var fixed: ForecastParameters {
        var p = HourlySeries.parameters
        p.ridge = [1e-4]
        return p
    }

    @Test func mergedForecasterScoresEverySeriesAsItsOwnPart() throws {
        let p = Self.fixed
        let window = HourlySeries.start..<(HourlySeries.start + 14 * 86_400_000)
        let left = HourlySeries.columns(series: ["a", "b"], days: 14, HourlySeries.daily)
        // The right part starts a day late: fitting on the window still gives it the left part's design.
        let right = HourlySeries.columns(series: ["c", "d", "e"], days: 13, from: 24) { HourlySeries.daily($0 + 2, $1) }
        let fl = try SeasonalForecaster.fit(left, parameters: p, window: window)
        let fr = try SeasonalForecaster.fit(right, parameters: p, window: window)
        #expect(fl.design == fr.design)
        let merged = try SeasonalForecaster.merge([fl, fr])
        #expect(merged.seriesNames == ["a", "b", "c", "d", "e"])
        let probe = HourlySeries.columns(series: ["a", "b", "c", "d", "e"], days: 2, from: 14 * 24) {
            HourlySeries.daily($0, $1) + ($1 % 17 == 0 ? 30 : 0)
        }
        func scores(_ model: SeasonalForecaster) throws -> ForecastScores {
            var scorer = ForecastScorer(model: model)
            var out = ForecastScores()
            try scorer.score(probe, into: &out)
            return out
        }
        let m = try scores(merged), l = try scores(fl), r = try scores(fr)
        for row in 0..<probe.count {
            let own = Int(probe.seriesCodes[row]) < 2 ? l : r
            #expect(m.score[0][row].bitPattern == own.score[0][row].bitPattern, "row \(row)")
            #expect(m.forecast[0][row].bitPattern == own.forecast[0][row].bitPattern, "row \(row)")
            #expect(m.anomaly[0][row] == own.anomaly[0][row])
        }
    }

    @Test func forecastersOfDifferentDesignsOrSharedSeriesDoNotMerge() throws {
        let p = Self.fixed
        let data = HourlySeries.columns(series: ["a"], days: 14, HourlySeries.daily)
        let other = HourlySeries.columns(series: ["b"], days: 13, from: 24, HourlySeries.daily)
        let a = try SeasonalForecaster.fit(data, parameters: p)
        let b = try SeasonalForecaster.fit(other, parameters: p)
        #expect(throws: ModelError.self) { try SeasonalForecaster.merge([a, b]) }
        #expect(throws: ModelError.self) { try SeasonalForecaster.merge([a, a]) }
        var multi = p
        multi.ridge = [1e-4, 1e-2]
        #expect(multi.validatedParameters == ["ridge"] && p.validatedParameters.isEmpty)
    }
}
