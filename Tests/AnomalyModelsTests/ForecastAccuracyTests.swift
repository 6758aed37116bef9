import AnomalyModels
import Testing

/// Issue 4's accuracy goals on simulated meters (daily and weekly seasonality,
/// weekend profiles, multiplicative noise, labelled anomalies): fit on 14 days,
/// score the next 5 one step ahead after warming up on the last two training days.
/// The simulator labels a level shift at its onset only, where the default confirmation window (an hour)
/// flags the hour after it too: the 2-reading window of issue 4 keeps this a test of the forecasts and flags.
@Test func forecasterMeetsAccuracyGoalsOnSimulatedMeters() throws {
    let streams = SimulatedStreams(series: 24, days: 19, trainDays: 14)
    let model = try SeasonalForecaster.fit(streams.training, parameters: try ForecastParameters(settings: ["shift_confirm=2"]))
    let a = try ForecastAccuracy.measure(
        model, history: streams.training, heldOut: streams.heldOut, labels: streams.heldOutLabels)
    print("forecast accuracy: MASE \(a.mase), day ahead \(a.dayAheadMASE), vs seasonal naive \(a.naiveMASE) (\(a.improvement), \(a.dayAheadImprovement)), coverage \(a.coverage), precision \(a.precision), recall \(a.recall), labelled \(a.labelled), flagged \(a.flagged); chosen harmonics \(model.design.harmonics) ridge \(model.ridge) lags \(model.lags) level \(model.levelRate) intervalZ \(model.intervalZ) metrics \(model.metrics)")
    #expect(a.improvement >= 0.2, "one-step MASE \(a.mase) is not 20% better than seasonal naive \(a.naiveMASE)")
    #expect(a.dayAheadImprovement >= 0.2, "day-ahead MASE \(a.dayAheadMASE) is not 20% better than seasonal naive")
    #expect(a.coverage >= 0.93 && a.coverage <= 0.97, "95% intervals cover \(a.coverage) of clean held-out values")
    #expect(a.labelled > 20, "too few injected anomalies (\(a.labelled)) to measure precision and recall")
    #expect(a.precision > 0.9, "precision \(a.precision): \(a.flagged) flagged for \(a.labelled) labelled")
    #expect(a.recall > 0.9, "recall \(a.recall) on \(a.labelled) labelled anomalies")
    #expect(model.metrics.holdoutCoverage >= 0.93 && model.metrics.holdoutCoverage <= 0.97)
}
