import Foundation
import Testing

@testable import AnomalyModels

/// While scoring, a series' scale follows its recent errors: rougher noise than validation saw
/// stops paging within a few hundred events, while a sustained anomaly cannot widen the scale it
/// is judged by, and a spike after it is still flagged.
@Suite struct ForecastScaleAdaptationTests {
    /// A daily sine with seeded Gaussian noise of `noise` from hour `from`, for `days` days, times `factor(hour)`.
    func series(days: Int, from: Int, noise: Double, seed: UInt64, _ factor: (Int) -> Double = { _ in 1 }) -> ForecastColumns {
        var rng = RandomSource(seed: seed)
        return HourlySeries.columns(series: ["a"], days: days, from: from) { _, h in
            (100 + 10 * sin(2 * Double.pi * Double(h % 24) / 24) + noise * rng.normal()) * factor(h)
        }
    }

    func model(scaleRate: Double) throws -> SeasonalForecaster {
        var p = HourlySeries.parameters
        p.scaleRate = scaleRate
        return try SeasonalForecaster.fit(series(days: 40, from: 0, noise: 1, seed: 1), parameters: p)
    }

    @Test func rougherNoiseThanValidationStopsFlaggingOnceLearnt() throws {
        let rougher = series(days: 60, from: 40 * 24, noise: 3, seed: 2)
        var flaggedLate: [Double: Int] = [:], sigmasLate: [Double: Double] = [:]
        for rate in [0, 0.005] {
            var scorer = ForecastScorer(model: try model(scaleRate: rate))
            var out = ForecastScores()
            try scorer.score(rougher, into: &out)
            let late = (rougher.count / 2)..<rougher.count
            flaggedLate[rate] = late.filter { out.anomaly[0][$0] }.count
            sigmasLate[rate] = late.map { abs(out.sigmas[0][$0]) }.sorted()[late.count / 2]
        }
        // Threefold noise against the trained scale: a median |z| near 3 x 0.67 without adaptation; learnt,
        // the scale widens to it (by at most twofold).
        #expect(sigmasLate[0]! > 1.6 && sigmasLate[0.005]! < 1.2, "median |sigmas| \(sigmasLate)")
        #expect(flaggedLate[0.005]! < flaggedLate[0]! / 3, "flags on noise in the last month: \(flaggedLate)")
    }

    @Test func aSustainedAnomalyDoesNotWidenTheScale() throws {
        let m = try model(scaleRate: 0.005)
        // 300 hours at 40% (a meter on one phase), then 100 hours swinging ±30% (a loose contact), then
        // normal, then one spike. Every swing is flagged, so none of them teaches the scale.
        let stuckFrom = 50 * 24, stuckTo = stuckFrom + 300, swingTo = stuckTo + 100, spike = swingTo + 48
        var scorer = ForecastScorer(model: m)
        let before = series(days: 10, from: 40 * 24, noise: 1, seed: 3)
        var out = ForecastScores()
        try scorer.score(before, into: &out)
        // The band at the spike's hour of day the day before the stuck period (a log-scale band's width follows the level).
        let sameHour = before.count - 24 + (spike % 24)
        let widthBefore = out.upper[0][sameHour] - out.lower[0][sameHour]
        let next = series(days: 20, from: 50 * 24, noise: 1, seed: 4) { h in
            (stuckFrom..<stuckTo).contains(h) ? 0.4 : (stuckTo..<swingTo).contains(h) ? (h % 2 == 0 ? 1.3 : 0.7) : h == spike ? 1.12 : 1
        }
        try scorer.score(next, into: &out)
        let firstStuck = 0
        #expect(out.anomaly[0][firstStuck], "the onset is flagged")
        let swings = (stuckTo..<swingTo).map { $0 - stuckFrom }
        #expect(swings.filter { out.anomaly[0][$0] }.count >= 95, "the swings are flagged")
        let spikeRow = spike - stuckFrom
        #expect(out.anomaly[0][spikeRow], "a 12% spike after the stuck period is still flagged")
        let widthAfter = out.upper[0][spikeRow] - out.lower[0][spikeRow]
        #expect(widthAfter < 1.15 * widthBefore, "band width \(widthBefore) before, \(widthAfter) after")
    }

    @Test func scaleRateIsAParameterThatRoundTrips() throws {
        var p = ForecastParameters()
        #expect(p.scaleRate == 0.005)
        try p.set("scale_rate", "0")
        let back = try ForecastParameters(settings: p.settings)
        #expect(p.scaleRate == 0 && back.scaleRate == 0)
        #expect(throws: ModelError.self) { try p.set("scale_rate", "-1") }
        #expect(throws: ModelError.self) { try p.set("scale_rate", "fast") }
    }
}
