import Foundation
import LinearAlgebra
import Testing

@testable import AnomalyModels

/// The scorer's state: warm-up is exactly replay, level shifts are followed, and the
/// shared regression is the per-series regression.
@Suite struct ForecastScorerTests {
    @Test func warmUpIsTheSameAsHavingScoredTheHistory() throws {
        let series = ["a", "b"]
        let model = try SeasonalForecaster.fit(
            HourlySeries.columns(series: series, days: 6, HourlySeries.daily), parameters: HourlySeries.parameters)
        // Rows of the warm-up deliberately out of time order: warm-up sorts them.
        let history = HourlySeries.columns(series: series, days: 2, from: 6 * 24, HourlySeries.daily)
        var shuffled = history
        shuffled.time.reverse(); shuffled.seriesCodes.reverse(); shuffled.fields[0].reverse()
        let next = HourlySeries.columns(series: series, days: 1, from: 8 * 24) { s, h in h % 5 == 0 ? 150 : HourlySeries.daily(s, h) }

        var live = ForecastScorer(model: model), fresh = ForecastScorer(model: model)
        var a = ForecastScores(), b = ForecastScores()
        try live.score(history, into: &a)
        try live.score(next, into: &a)
        try fresh.warmUp(from: shuffled)
        try fresh.score(next, into: &b)
        #expect(a.forecast[0].map(\.bitPattern) == b.forecast[0].map(\.bitPattern))
        #expect(a.score[0].map(\.bitPattern) == b.score[0].map(\.bitPattern))
        #expect(a.anomaly[0].contains(true))
    }

    @Test func levelShiftIsFlaggedOnceAndThenFollowed() throws {
        let model = try SeasonalForecaster.fit(
            HourlySeries.columns(series: ["a"], days: 6, HourlySeries.daily), parameters: HourlySeries.parameters)
        var scorer = ForecastScorer(model: model)
        try scorer.warmUp(from: HourlySeries.columns(series: ["a"], days: 1, from: 5 * 24, HourlySeries.daily))
        let shift = 7 * 24 + 5
        // Multiplicative, as a meter's load shifts: the positive series is modelled in log space,
        // where that is a constant step.
        let next = HourlySeries.columns(series: ["a"], days: 2, from: 6 * 24) { s, h in
            HourlySeries.daily(s, h) * (h >= shift ? 1.4 : 1)
        }
        var out = ForecastScores()
        try scorer.score(next, into: &out)
        let flagged = out.anomaly[0].indices.filter { out.anomaly[0][$0] }.map { $0 + 6 * 24 }
        // Flagged from its onset until the confirmation window (shift_confirm, an hour's cells but at least 3) adopts it.
        #expect(flagged.first == shift && flagged.count <= model.parameters.shiftConfirm + 1, "flagged hours \(flagged)")
        let after = (shift + 6 - 6 * 24)..<next.count
        #expect(after.allSatisfy { abs(out.forecast[0][$0] - next.fields[0][$0]) < 3 })
    }

    /// One factorisation for all targets gives each target its own least-squares fit, and the
    /// robust refit keeps an outlier from pulling a target's coefficients.
    @Test func sharedRidgeFitEqualsSeparateLeastSquaresAndResistsOutliers() throws {
        let cells = 960, first = HourlySeries.start / HourlySeries.hour
        let design = SeasonalDesign(
            cadenceMs: HourlySeries.hour, periodsMs: [86_400_000], harmonics: [2], calendarHarmonics: -1, trend: true,
            trendOriginCell: first, trendSpanCells: Int64(cells))
        let x = design.matrix(firstCell: first, count: cells)
        var random = RandomSource(seed: 3)
        var y = Matrix(rows: 3, columns: cells)
        for t in 0..<3 {
            for c in 0..<cells {
                let noise = 0.1 * max(-2.5, min(2.5, random.normal()))
                y[t, c] = 100 + 10 * Double(t + 1) * sin(2 * Double.pi * Double(c % 24) / 24) + noise
            }
        }
        func alone(_ t: Int, _ y: Matrix) throws -> Matrix {
            try LAPACK.leastSquares(x, Matrix(rows: cells, columns: 1, storage: (0..<cells).map { y[t, $0] }))
        }
        let shared = try SharedRidge.fit(y, x: x, ridge: 0, unpenalised: 1)
        for t in 0..<3 {
            let separate = try alone(t, y)
            for j in 0..<x.columns { #expect(abs(shared[t, j] - separate[j, 0]) < 1e-6, "target \(t) column \(j)") }
        }
        var spoiled = y
        spoiled[1, 40] += 50
        spoiled[1, 700] -= 50
        let robust = try SharedRidge.fit(spoiled, x: x, ridge: 0, unpenalised: 1)
        let plain = try alone(1, spoiled), clean = try alone(1, y)
        let pulled = (0..<x.columns).map { abs(plain[$0, 0] - clean[$0, 0]) }.max() ?? 0
        let kept = (0..<x.columns).map { abs(robust[1, $0] - clean[$0, 0]) }.max() ?? 0
        #expect(pulled > 0.05 && kept < pulled / 10, "least squares moved by \(pulled), the robust fit by \(kept)")
    }
}
