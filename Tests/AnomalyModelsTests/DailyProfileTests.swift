import Foundation
import Testing

@testable import AnomalyModels

/// The context's profile follows the hour of day only where the window shows a daily cycle.
@Suite struct DailyProfileTests {
    static let day = ContextFeaturesTests.day
    static let minute: Int64 = 60_000

    /// One series at one minute with a cycle of `periodMs` around 0 (so measured as it is, not in logs) and a little noise.
    static func cycle(periodMs: Int64, days: Int, seed: UInt64 = 3) -> ForecastColumns {
        var rng = RandomSource(seed: seed)
        let steps = Int64(days) * day / minute
        let time = (0..<steps).map { 1_767_225_600_000 + $0 * minute }
        let value = (0..<steps).map { s in 10 * sin(2 * .pi * Double(s * minute % periodMs) / Double(periodMs)) + 0.3 * rng.normal() }
        return ForecastColumns(
            time: time, seriesCodes: [Int32](repeating: 0, count: time.count), seriesNames: ["p"], fieldNames: ["v"], fields: [value])
    }

    static func profile(_ c: StreamContext) -> [Double] { Array(c.profile[0..<c.slots]) }

    @Test func aDailyCycleGetsAnHourlyProfile() throws {
        let data = Self.cycle(periodMs: Self.day, days: 4)
        let (daily, reason) = try DailyProfile.auto.decide(data, spanMs: 4 * Self.day)
        #expect(daily, "\(reason)")
        #expect(reason.hasPrefix("hourly profile: autocorrelation"), "\(reason)")
        let context = try StreamContext.fit(data, spec: ContextSpec(), spanMs: 4 * Self.day, daily: daily)
        let hours = Self.profile(context)
        #expect((hours.max() ?? 0) - (hours.min() ?? 0) > 15, "the profile follows the cycle: \(hours)")
    }

    @Test func aThreeHourCycleGetsAFlatProfileNotStepsAtEveryHour() throws {
        // 183 minutes, as a blood-pressure series sampled each minute: each hour of day holds a different
        // phase of it on each day, so an hourly profile would be steps that the data never repeats.
        let data = Self.cycle(periodMs: 183 * Self.minute, days: 4)
        let (daily, reason) = try DailyProfile.auto.decide(data, spanMs: 4 * Self.day)
        #expect(!daily, "\(reason)")
        #expect(reason.hasPrefix("flat profile: autocorrelation") && !reason.contains(" 1 d"), "names the cycle it found: \(reason)")
        let context = try StreamContext.fit(data, spec: ContextSpec(), spanMs: 4 * Self.day, daily: daily)
        let hours = Self.profile(context)
        #expect(Set(hours).count == 1, "one median for every hour: \(hours)")
        #expect(abs(hours[0]) < 1)
        #expect(Set(context.scale).count == 1)
    }

    @Test func aWindowShorterThanTwoDaysGetsAFlatProfile() throws {
        let data = Self.cycle(periodMs: Self.day, days: 1)
        let (daily, reason) = try DailyProfile.auto.decide(data, spanMs: Self.day)
        #expect(!daily)
        #expect(reason.contains("less than two days"), "\(reason)")
    }

    @Test func aNoisyWindowWithoutAnyCycleGetsAFlatProfile() throws {
        var rng = RandomSource(seed: 8)
        var data = Self.cycle(periodMs: Self.day, days: 3)
        data.fields[0] = data.fields[0].map { _ in rng.normal() }
        let (daily, reason) = try DailyProfile.auto.decide(data, spanMs: 3 * Self.day)
        #expect(!daily, "\(reason)")
    }

    @Test func explicitSettingsWinOverTheData() throws {
        let data = Self.cycle(periodMs: 183 * Self.minute, days: 4)
        #expect(try DailyProfile.on.decide(data, spanMs: 4 * Self.day).daily)
        #expect(try !DailyProfile.off.decide(Self.cycle(periodMs: Self.day, days: 4), spanMs: 4 * Self.day).daily)
    }

    @Test func aFineCadenceOverWeeksIsDetectedOnACoarserGrid() {
        #expect(DailyProfile.gridCadence(60_000, spanMs: 10 * Self.day) == 60_000)
        #expect(DailyProfile.gridCadence(60_000, spanMs: 30 * Self.day) == 300_000)
        #expect(DailyProfile.gridCadence(1_000, spanMs: 14 * Self.day) == 300_000)
        #expect(DailyProfile.gridCadence(1_000, spanMs: 1_000 * Self.day) == 3_600_000)
    }

    @Test func manySeriesAreSampledEvenly() {
        let names = (0..<100).map { "s\($0)" }
        let codes = (0..<1_000).map { Int32($0 % 100) }
        let data = ForecastColumns(
            time: (0..<1_000).map { Int64($0) }, seriesCodes: codes, seriesNames: names, fieldNames: ["v"],
            fields: [(0..<1_000).map(Double.init)])
        let sample = DailyProfile.seriesSample(data)
        #expect(Set(sample.seriesCodes).count == DailyProfile.sampleSeries)
        #expect(sample.count == 10 * DailyProfile.sampleSeries)
        #expect(sample.seriesCodes.first == 0 && sample.seriesCodes.contains(96))
    }
}
