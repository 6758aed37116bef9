import Foundation
import Testing

@testable import AnomalyModels

/// `period=auto` fits the candidate periods (none, the autocorrelation's, a day, a day and a week) that forecast
/// the window's last week best a day ahead, among those the window holds twice.
@Suite struct ForecastPeriodSelectionTests {
    static let day: Int64 = 86_400_000, week: Int64 = 604_800_000
    static let halfHour: Int64 = 1_800_000, hour: Int64 = 3_600_000

    static func series(cadence: Int64, days: Int, _ value: (Int) -> Double) -> ForecastColumns {
        ForecastDefaultsTests.series(cadence: cadence, count: days * Int(day / cadence), value)
    }

    @Test func aDailySeasonalSeriesPicksADay() throws {
        let perDay = 48
        let data = Self.series(cadence: Self.halfHour, days: 14) { i in
            100 + 20 * sin(2 * .pi * Double(i % perDay) / Double(perDay)) + 2 * ForecastDefaultsTests.noise(i)
        }
        let model = try SeasonalForecaster.fit(data)
        #expect(model.design.periodsMs.first == Self.day, "\(model.choices)")
        #expect(model.choices.contains { $0.hasPrefix("periods 1 d") && $0.contains("day-ahead") }, "\(model.choices)")
    }

    @Test func whiteNoisePicksNone() throws {
        let data = Self.series(cadence: Self.halfHour, days: 14) { ForecastDefaultsTests.noise($0, seed: 5) }
        let model = try SeasonalForecaster.fit(data)
        #expect(model.design.periodsMs.isEmpty, "\(model.choices)")
        #expect(model.choices.contains { $0.hasPrefix("periods none: none") }, "\(model.choices)")
    }

    /// Weekdays that differ from each other (not only weekends, which the daily model's calendar terms take).
    @Test func aWeeklyPatternWithThreeWeeksPicksADayAndAWeek() throws {
        let data = Self.series(cadence: Self.hour, days: 21) { i in
            let weekday = Double((i / 24) % 7)
            return 100 + 15 * sin(2 * .pi * Double(i % 24) / 24) + 20 * sin(2 * .pi * weekday / 7)
                + ForecastDefaultsTests.noise(i, seed: 9)
        }
        let model = try SeasonalForecaster.fit(data)
        #expect(model.design.periodsMs == [Self.day, Self.week], "\(model.choices)")
    }

    @Test func aTwoDayWindowDoesNotPickAWeek() throws {
        let data = Self.series(cadence: Self.halfHour, days: 2) { i in
            50 + 10 * sin(2 * .pi * Double(i % 48) / 48) + ForecastDefaultsTests.noise(i)
        }
        let model = try SeasonalForecaster.fit(data)
        #expect(!model.design.periodsMs.contains(Self.week), "\(model.choices)")
        #expect(model.choices.contains { $0.contains("too short for the 7-day") }, "\(model.choices)")
        let candidates = PeriodSelection.candidates(detected: [], spanMs: 2 * Self.day, cadenceMs: Self.halfHour, minimumCycles: 2)
        #expect(candidates.map(\.periodsMs) == [[], [Self.day]])
    }

    @Test func candidatesNeedTwoCyclesAndTwoCellsAndComeFewestPeriodsFirst() {
        let c = PeriodSelection.candidates(detected: [Self.day, Self.week], spanMs: 21 * Self.day, cadenceMs: Self.hour, minimumCycles: 2)
        #expect(c.map(\.periodsMs) == [[], [Self.day], [Self.day, Self.week]])
        #expect(c.last?.name == "autocorrelation's")
        let daily = PeriodSelection.candidates(detected: [], spanMs: 21 * Self.day, cadenceMs: Self.day, minimumCycles: 2)
        #expect(daily.map(\.periodsMs) == [[]])
    }

    @Test func anExplicitPeriodWins() throws {
        let data = Self.series(cadence: Self.halfHour, days: 14) { ForecastDefaultsTests.noise($0, seed: 5) }
        let model = try SeasonalForecaster.fit(data, parameters: ForecastParameters(settings: ["period=1d"]))
        #expect(model.design.periodsMs == [Self.day])
        #expect(!model.choices.contains { $0.hasPrefix("periods") })
    }
}
