import Testing

@testable import AnomalyModels

/// A calibrated score means a tail probability: on clean held-out data, the share of events scoring above
/// 1 - p is close to p, whatever the raw scores' spread.
@Suite struct ScoreCalibrationTests {
    @Test func theShareAboveOneMinusPIsCloseToP() throws {
        for spread in [0.01, 0.05] {
            var rng = RandomSource(seed: 3)
            let raw = { 0.45 + spread * abs(rng.normal()) }
            let training = (0..<20_000).map { _ in raw() }
            let heldOut = (0..<200_000).map { _ in raw() }
            let c = try #require(ScoreCalibration.fit(training))
            for p in [0.1, 0.02, 0.005] {
                let share = Double(heldOut.filter { 1 - c.probability($0) > 1 - p }.count) / Double(heldOut.count)
                #expect(share > p / 2 && share < p * 2, "spread \(spread), p \(p): share \(share)")
            }
            #expect(c.probability(0.4) == 1)
            #expect(c.probability(.nan).isNaN)
            let t = c.threshold(alarmRate: 1e-3)
            #expect(abs(c.probability(t) - 1e-3) < 1e-6)
        }
    }

    @Test func tooFewScoresGiveNoCalibrationAndAnUnreachableRateGivesThresholdOne() throws {
        #expect(ScoreCalibration.fit([0.5, 0.6]) == nil)
        let c = try #require(ScoreCalibration.fit((0..<100).map { 0.5 + Double($0) * 1e-4 }))
        #expect(c.threshold(alarmRate: 1e-300) <= 1)
    }
}
