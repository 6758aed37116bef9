import Foundation
import Testing

@testable import AnomalyModels

/// The forecaster's `auto` defaults decide from the data: cadence, periods, harmonics, and a model
/// without seasonal terms where the window shows no season or is too short for one.
@Suite struct ForecastDefaultsTests {
    static let start: Int64 = 1_767_225_600_000
    static let minute: Int64 = 60_000

    /// One series, one field, a value every `cadence` ms for `count` events, `value(i)` at event i.
    static func series(cadence: Int64, count: Int, drop: (Int) -> Bool = { _ in false }, _ value: (Int) -> Double)
        -> ForecastColumns
    {
        let rows = (0..<count).filter { !drop($0) }
        return ForecastColumns(
            time: rows.map { start + Int64($0) * cadence }, seriesCodes: rows.map { _ in 0 }, seriesNames: ["s"],
            fieldNames: ["v"], fields: [rows.map(value)])
    }

    static func noise(_ i: Int, seed: UInt64 = 1) -> Double {
        var r = RandomSource(seed: UInt64(i) &* 0x9E37_79B9 &+ seed)
        return Double.random(in: -1...1, using: &r) + Double.random(in: -1...1, using: &r)
    }

    @Test func halfHourSeriesWithGapsIsFittedOnItsOwnCadenceAndDailyPeriod() throws {
        let cadence = 30 * Self.minute
        let data = Self.series(cadence: cadence, count: 48 * 10, drop: { $0 % 17 == 3 }) { i in
            100 + 30 * sin(2 * .pi * Double(i % 48) / 48) + Self.noise(i)
        }
        let model = try SeasonalForecaster.fit(data)
        #expect(model.design.cadenceMs == cadence)
        #expect(model.design.periodsMs == [86_400_000], "\(model.choices)")
        #expect(model.choices.contains { $0.hasPrefix("cadence 30 min") })
    }

    @Test func twoDaysOfHistoryGetTheBestModelTheySupportNotARefusal() throws {
        let data = Self.series(cadence: 5 * Self.minute, count: 2 * 288) { i in
            50 + 10 * sin(2 * .pi * Double(i % 288) / 288) + Self.noise(i)
        }
        let model = try SeasonalForecaster.fit(data)
        #expect(!model.design.periodsMs.contains(604_800_000))
        #expect(model.design.periodsMs.count <= 1)
    }

    @Test func noiseGetsANonSeasonalModel() throws {
        let data = Self.series(cadence: Self.minute, count: 3000) { Self.noise($0) }
        let model = try SeasonalForecaster.fit(data)
        #expect(model.design.periodsMs.isEmpty, "\(model.choices)")
        #expect(model.choices.contains { $0.hasPrefix("periods none") })
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nonseasonal-\(getpid()).h5").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try model.save(to: path)
        let loaded = try SeasonalForecaster.load(from: path)
        #expect(loaded.design.periodsMs.isEmpty && loaded.choices == model.choices)
    }

    @Test func anHourlyPeriodAtFiveMinutesUsesTheHarmonicsItAllows() throws {
        let data = Self.series(cadence: 5 * Self.minute, count: 12 * 48) { i in 10 + sin(2 * .pi * Double(i % 12) / 12) + 0.1 * Self.noise(i) }
        var p = ForecastParameters()
        try p.set("period", "1h")
        let model = try SeasonalForecaster.fit(data, parameters: p)
        #expect(model.design.periodsMs == [3_600_000])
        #expect(model.design.harmonics.allSatisfy { $0 <= 6 })
    }

    @Test func explicitCadenceAndPeriodsWin() throws {
        let data = Self.series(cadence: 5 * Self.minute, count: 288 * 3) { Self.noise($0) }
        let p = try ForecastParameters(settings: ["cadence=10m", "period=1d", "harmonics=2"])
        let model = try SeasonalForecaster.fit(data, parameters: p)
        #expect(model.design.cadenceMs == 10 * Self.minute && model.design.periodsMs == [86_400_000] && model.design.harmonics == [2])
    }

    @Test func awkwardWindowsFitOrFailWithAReasonNeverCrash() throws {
        let few = Self.series(cadence: Self.minute, count: 30) { Self.noise($0) }
        _ = try SeasonalForecaster.fit(few)
        let constant = Self.series(cadence: Self.minute, count: 500) { _ in 7 }
        let flat = try SeasonalForecaster.fit(constant)
        #expect(flat.design.periodsMs.isEmpty)
        var withNaN = Self.series(cadence: Self.minute, count: 500) { Self.noise($0) }
        for i in stride(from: 0, to: 500, by: 7) { withNaN.fields[0][i] = .nan }
        _ = try SeasonalForecaster.fit(withNaN)
        var duplicated = Self.series(cadence: Self.minute, count: 500) { Self.noise($0) }
        duplicated.time = duplicated.time.map { $0 - $0 % (2 * Self.minute) }
        _ = try SeasonalForecaster.fit(duplicated)
        let one = Self.series(cadence: Self.minute, count: 1) { _ in 1 }
        #expect(throws: ModelError.self) { try SeasonalForecaster.fit(one) }
    }

    /// Scores are tail probabilities: on clean held-out data the share above 1 - p is about p, for a quiet and a
    /// noisy series alike, and a jump far outside anything seen scores close to 1 and is flagged.
    @Test func scoresMeanTheSameAcrossSeriesOfDifferentNoise() throws {
        let cadence = 5 * Self.minute, perDay = 288
        func make(_ scale: Double, seed: UInt64, days: Int, from: Int = 0) -> ForecastColumns {
            Self.series(cadence: cadence, count: days * perDay) { j in
                let i = j + from
                return 1000 + 200 * sin(2 * .pi * Double(i % perDay) / Double(perDay)) + scale * Self.noise(i, seed: seed)
            }
        }
        for (scale, seed) in [(1.0, UInt64(3)), (40.0, UInt64(4))] {
            let model = try SeasonalForecaster.fit(make(scale, seed: seed, days: 14))
            var scorer = ForecastScorer(model: model)
            var out = ForecastScores()
            var held = make(scale, seed: seed, days: 7, from: 14 * perDay)
            held.time = held.time.map { $0 + Int64(14 * perDay) * cadence }
            try scorer.score(held, into: &out)
            let scores = out.score[0].filter(\.isFinite)
            for p in [0.1, 0.01] {
                let share = Double(scores.count { $0 > 1 - p }) / Double(scores.count)
                #expect(share > p / 3 && share < p * 3, "noise \(scale): \(share) above 1 - \(p)")
            }
            var jump = held
            jump.fields[0][1000] *= 4
            var fresh = ForecastScorer(model: model)
            try fresh.score(jump, into: &out)
            #expect(out.score[0][1000] > 0.9999 && out.anomaly[0][1000])
        }
    }

    @Test func tailCalibrationIsMonotoneAndExtrapolates() {
        var q: [Double] = [], s: [Double] = []
        TailCalibration.fit((0..<5000).map { Double($0) / 1000 }, quantiles: &q, tailScale: &s)
        let c = TailCalibration(quantiles: q, tailScale: s)
        #expect(c.problem(targets: 1) == nil)
        let ps = stride(from: 0.0, through: 20, by: 0.25).map { c.probability(target: 0, deviation: $0) }
        #expect(zip(ps, ps.dropFirst()).allSatisfy { $0 >= $1 })
        #expect(abs(c.probability(target: 0, deviation: 2.5) - 0.5) < 0.01)
        #expect(c.probability(target: 0, deviation: 20) < 1e-6)
        #expect(TailCalibration.combined(0.001, fields: 10) > 0.0099 && TailCalibration.combined(0.001, fields: 10) < 0.01)
    }
}
