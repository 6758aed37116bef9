import Foundation
import Testing

@testable import AnomalyModels

/// `level_score`: a departure that the AR terms follow one small step at a time has small one-step errors
/// all along, but its distance from the seasonal profile at the current level keeps growing, and the
/// level score sees it; on clean data it adds about as many flags as its doubled tail allows.
@Suite struct ForecastLevelScoreTests {
    /// A daily sine plus AR(1) noise (φ 0.95, innovations of `innovation`) from hour `from`, plus `shift(hour)`.
    func series(
        days: Int, from: Int, seed: UInt64, innovation: Double = 1, _ shift: (Int) -> Double = { _ in 0 }
    ) -> ForecastColumns {
        var rng = RandomSource(seed: seed)
        var ar = 0.0
        return HourlySeries.columns(series: ["a"], days: days, from: from) { _, h in
            ar = 0.95 * ar + innovation * rng.normal()
            return 100 + 10 * sin(2 * Double.pi * Double(h % 24) / 24) + ar + shift(h)
        }
    }

    func model(levelScore: Bool, scaleRate: Double = 0.005) throws -> SeasonalForecaster {
        var p = HourlySeries.parameters
        p.transform = .none
        p.levelScore = levelScore
        p.scaleRate = scaleRate
        return try SeasonalForecaster.fit(series(days: 40, from: 0, seed: 1), parameters: p)
    }

    @Test func aSlowDepartureIsFlaggedAlongItsCourse() throws {
        // From hour 45 × 24, 0.4 a hour for 120 hours (48 in all, fifteen times the noise's spread), then held;
        // the level, following at 0.02 of each error, keeps up with part of it.
        let from = 45 * 24
        let test = series(days: 10, from: 40 * 24, seed: 2) { h in h < from ? 0 : 0.4 * Double(min(h - from, 120)) }
        var flagged: [Bool: Int] = [:]
        for levelScore in [false, true] {
            // The look alone: the online scale (tested below) would take the ramp's first, unflagged hours as
            // rougher noise and widen by up to twofold.
            var scorer = ForecastScorer(model: try model(levelScore: levelScore, scaleRate: 0))
            var out = ForecastScores()
            try scorer.score(test, into: &out)
            let lateRamp = (from - 40 * 24 + 60)..<(from - 40 * 24 + 120)
            flagged[levelScore] = lateRamp.filter { out.anomaly[0][$0] }.count
        }
        #expect(flagged[true]! >= 20, "the last 60 hours of the departure, flagged: \(flagged)")
        #expect(flagged[false]! < flagged[true]! / 3, "one-step errors alone: \(flagged)")
    }

    @Test func cleanDataStaysQuiet() throws {
        var scorer = ForecastScorer(model: try model(levelScore: true))
        var out = ForecastScores()
        let clean = series(days: 30, from: 40 * 24, seed: 3)
        try scorer.score(clean, into: &out)
        // 720 events at an alarm rate of 1e-5, doubled for the two looks: any flag is already unlikely.
        #expect(out.anomaly[0].filter { $0 }.count <= 1)
        let tails = out.tail[0].filter(\.isFinite)
        let share = Double(tails.filter { $0 < 0.1 }.count) / Double(tails.count)
        #expect(share > 0.05 && share < 0.4, "share of tails below 0.1 (about 0.2 for two looks): \(share)")
    }

    /// Both looks follow the online scale: noise 2.5 times rougher than training's stops paging once learnt.
    @Test func aRougherSeriesStopsPagingOnBothLooks() throws {
        var flagged: [Double: Int] = [:]
        for rate in [0, 0.005] {
            var scorer = ForecastScorer(model: try model(levelScore: true, scaleRate: rate))
            var out = ForecastScores()
            let rough = series(days: 60, from: 40 * 24, seed: 5, innovation: 2.5)
            try scorer.score(rough, into: &out)
            flagged[rate] = ((rough.count / 2)..<rough.count).filter { out.anomaly[0][$0] }.count
        }
        #expect(flagged[0]! >= 10 && flagged[0.005]! < flagged[0]! / 3, "flags in the last month: \(flagged)")
    }

    @Test func theLevelScoreRoundTripsThroughTheModelFile() throws {
        let m = try model(levelScore: true)
        let path = NSTemporaryDirectory() + "level-score-\(getpid()).h5"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try m.save(to: path)
        let back = try SeasonalForecaster.load(from: path)
        #expect(back.parameters.levelScore && back.levelSigma == m.levelSigma)
        let (a, b) = (try #require(back.levelCalibration), try #require(m.levelCalibration))
        #expect(a.tailScale == b.tailScale && zip(a.quantiles, b.quantiles).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) })
        #expect(try model(levelScore: false).levelSigma == nil)
        var p = ForecastParameters()
        try p.set("level_score", "true")
        #expect(try ForecastParameters(settings: p.settings).levelScore)
        #expect(throws: ModelError.self) { try p.set("level_score", "yes") }
    }
}
