import AnomalyModels
import Testing

/// `cadence` and `period` take durations in the one grammar (Basics' TimeSpan), sums included.
@Suite struct ForecastParameterDurationTests {
    @Test func cadenceAndPeriodsAreDurations() throws {
        var p = ForecastParameters()
        try p.set("cadence", "1h30m")
        #expect(p.cadenceMs == 5_400_000)
        try p.set("cadence", "5m")
        try p.set("period", "1d,1w")
        #expect(p.periodsMs == [86_400_000, 604_800_000])
        try p.set("periods", "1d12h")
        #expect(p.periodsMs == [129_600_000] && p.harmonics.count == 1)
    }

    @Test(arguments: [("cadence", "5"), ("cadence", "0s"), ("cadence", "5x"), ("period", "1d,7"), ("period", "1d,0s"), ("period", "")])
    func badDurationsAreRefusedAndChangeNothing(key: String, value: String) {
        var p = ForecastParameters()
        #expect(throws: ModelError.self) { try p.set(key, value) }
        #expect(p == ForecastParameters())
    }
}
