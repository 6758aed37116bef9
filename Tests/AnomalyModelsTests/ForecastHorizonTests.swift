import Foundation
import Testing

@testable import AnomalyModels

/// Bands ahead widen as the forecaster's errors really grow with the steps ahead, so a
/// day-ahead band covers what it says at every step, where a one-step band would not.
@Suite struct ForecastHorizonTests {
    static let series = (0..<30).map { "s\($0)" }
    static let days = 40, trainDays = 30

    /// A daily sine on a wandering level (a random walk, one unit a step) with unit noise:
    /// errors a day ahead are several times the one-step errors.
    static let values: [[Double]] = series.indices.map { s in
        var random = RandomSource(seed: UInt64(s) + 11)
        var level = 0.0
        return (0..<(days * 24)).map { h in
            level += random.normal()
            return 100 + 10 * sin(2 * .pi * Double(h % 24) / 24) + level + random.normal()
        }
    }

    static func columns(hours: Range<Int>) -> ForecastColumns {
        HourlySeries.columns(series: series, days: hours.count / 24, from: hours.lowerBound) { s, h in values[s][h] }
    }

    /// Share of the held-out days' values inside the 95% band made at each day's start, by steps ahead
    /// (1-3 and 13-24), for `model`.
    static func coverage(_ model: SeasonalForecaster) throws -> (near: Double, far: Double) {
        var scorer = ForecastScorer(model: model)
        try scorer.warmUp(from: columns(hours: (trainDays - 2) * 24..<trainDays * 24))
        var near = (0, 0), far = (0, 0)
        for day in trainDays..<days {
            let next = columns(hours: day * 24..<(day + 1) * 24)
            let bands = try scorer.bands(next, coverages: [0.95])
            for row in 0..<next.count {
                let step = Int((next.time[row] - HourlySeries.start) / HourlySeries.hour) - day * 24 + 1
                let inside = next.fields[0][row] >= bands.lower[0][0][row] && next.fields[0][row] <= bands.upper[0][0][row]
                if step <= 3 { near.0 += inside ? 1 : 0; near.1 += 1 }
                if step >= 13 { far.0 += inside ? 1 : 0; far.1 += 1 }
            }
            var scores = ForecastScores()
            try scorer.score(next, into: &scores)
        }
        return (Double(near.0) / Double(near.1), Double(far.0) / Double(far.1))
    }

    @Test func bandsAheadHoldTheirCoverageAtEveryStep() throws {
        let model = try SeasonalForecaster.fit(Self.columns(hours: 0..<Self.trainDays * 24), parameters: HourlySeries.parameters)
        let horizon = try #require(model.horizon)
        #expect(horizon.span == 24 && horizon.bucketEnds.first == 1)
        let first = horizon.halfWidth(field: 0, step: 1, coverage: 0.95), last = horizon.halfWidth(field: 0, step: 24, coverage: 0.95)
        #expect(last > 1.5 * first, "widening \(String(first)) at 1 step, \(String(last)) at 24")
        #expect(horizon.holdoutCoverage.allSatisfy { (0.85...1).contains($0) }, "held out: \(horizon.holdoutCoverage)")

        let calibrated = try Self.coverage(model)
        #expect((0.9...0.99).contains(calibrated.near), "steps 1-3: \(String(calibrated.near))")
        #expect((0.9...0.99).contains(calibrated.far), "steps 13-24: \(String(calibrated.far))")
        let oneStep = try Self.coverage(model.withoutHorizon)
        #expect(oneStep.far < 0.85, "one-step bands a day ahead cover \(String(oneStep.far))")
    }

    @Test func factorsInterpolateBetweenCoveragesAndHoldBeyondTheSpan() {
        let ends = HorizonCalibration.bucketEnds(span: 24)
        #expect(ends == [1, 2, 4, 8, 16, 24])
        let levels = HorizonCalibration.coverages.count
        let widening = ends.indices.flatMap { b in (0..<levels).map { 1 + Double(b) + Double($0) / 10 } }
        let h = HorizonCalibration(bucketEnds: ends, halfWidths: widening, holdoutCoverage: ends.map { _ in .nan }, fields: 1)
        #expect(h.halfWidth(field: 0, step: 3, coverage: 0.95) == 3.3)
        #expect(abs(h.halfWidth(field: 0, step: 3, coverage: 0.925) - 3.25) < 1e-12)
        #expect(h.halfWidth(field: 0, step: 1, coverage: 0.2) == 1)
        #expect(h.halfWidth(field: 0, step: 500, coverage: 0.999) == 6.5)
        #expect(h.problem(fields: 1) == nil && h.problem(fields: 2) != nil)
        let shrinking = HorizonCalibration(bucketEnds: ends, halfWidths: widening.reversed(), holdoutCoverage: h.holdoutCoverage, fields: 1)
        #expect(shrinking.problem(fields: 1)?.contains("narrows") == true)
    }

    /// The bands ahead are calibrated on histograms of every error: their quantiles and shares stay within a
    /// bin (1.6%) of the exact order statistics, over the whole range of scales.
    @Test func errorHistogramQuantilesMatchTheExactOnes() {
        var random = RandomSource(seed: 3)
        let values = (0..<20_000).map { _ in abs(random.normal()) * 3 } + [0, 1e-9, 5e6]
        var h = ErrorHistogram()
        for v in values { h.add(v) }
        let sorted = values.sorted()
        for c in HorizonCalibration.coverages {
            let k = Int((Double(values.count + 1) * c).rounded(.up)) - 1
            let estimate = h.value(rank: k)
            #expect(abs(estimate / sorted[k] - 1) < 0.016, "\(c): \(estimate) against \(sorted[k])")
            let share = h.share(atMost: sorted[k])
            #expect(abs(share - Double(k + 1) / Double(values.count)) < 0.005, "\(c): share \(share)")
        }
        #expect(ErrorHistogram.bin(0) == 0 && ErrorHistogram.bin(1e9) == ErrorHistogram.bins - 1)
        #expect(ErrorHistogram.edge(ErrorHistogram.bin(1.0)) == 1.0)
    }

    @Test func aModelWithABadCalibrationIsNeverWritten() throws {
        let tmp = try TempDir()
        let model = try SeasonalForecaster.fit(Self.columns(hours: 0..<10 * 24), parameters: HourlySeries.parameters)
        let h = try #require(model.horizon)
        let broken = model.with(
            horizon: HorizonCalibration(
                bucketEnds: h.bucketEnds, halfWidths: h.halfWidths.map { _ in .nan }, holdoutCoverage: h.holdoutCoverage, fields: 1))
        let error = #expect(throws: ModelWriteError.self) { try broken.save(to: tmp.path("m.h5")) }
        #expect(error?.reason.contains("horizon/") == true)
        try model.save(to: tmp.path("ok.h5"))
        #expect(try SeasonalForecaster.load(from: tmp.path("ok.h5")).horizon == h)
    }
}

extension SeasonalForecaster {
    /// The same model with another horizon calibration (nil: one-step bands at every step).
    func with(horizon: HorizonCalibration?) -> SeasonalForecaster {
        SeasonalForecaster(
            parameters: parameters, design: design, seriesNames: seriesNames, fieldNames: fieldNames, lags: lags,
            levelRate: levelRate, ridge: ridge, intervalZ: intervalZ, metrics: metrics, warnings: warnings,
            choices: choices, coefficients: coefficients, phi: phi, sigma: sigma, calibration: calibration,
            levelSigma: levelSigma, levelCalibration: levelCalibration, logOffset: logOffset, trained: trained,
            horizon: horizon)
    }

    var withoutHorizon: SeasonalForecaster { with(horizon: nil) }
}
