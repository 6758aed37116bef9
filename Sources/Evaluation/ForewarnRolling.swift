import AnomalyModels
import Basics

/// Forewarn's side of the rolling-origin bench for one series: the default forecaster (no parameters, as
/// `forewarn train` fits it: cadence and periods detected) fitted once on the history before the first
/// origin, its scorer warmed on the last two days of it (as `serve` and `forewarn forecast` warm up), then
/// at each origin a day of bands (`ForecastScorer.bands`) and the day's events taken in (`score`), so the
/// next origin forecasts from the state a running scorer would have.
struct ForewarnRolling {
    static let warmUpMs: Int64 = 2 * 86_400_000

    var forecasts: [DayForecast] = []
    /// CPU seconds of the fit alone, and of everything (fit, warm-up, forecasts, updates).
    var fitCPU = 0.0
    var cpu = 0.0
    /// The periods the fit chose, as `choices` says it (`periods 1 d, 7 d`).
    var periods = ""

    /// Throws what the fit throws (a refused fit: too short, nothing to fit ...).
    init(_ series: RollingSeries, origins: RollingOrigins, historyMs: Int64) throws {
        let began = ProcessCPU.seconds()
        defer { cpu = ProcessCPU.seconds() - began }
        let first = origins.origins[0]
        let model = try SeasonalForecaster.fit(Self.columns(series, from: first - historyMs, to: first))
        fitCPU = ProcessCPU.seconds() - began
        periods = model.choices.first { $0.hasPrefix("periods") }.map { String($0.prefix { $0 != ":" }) } ?? ""
        var scorer = ForecastScorer(model: model)
        try scorer.warmUp(from: Self.columns(series, from: first - Self.warmUpMs, to: first))
        var scratch = ForecastScores()
        let steps = origins.steps
        for (k, origin) in origins.origins.enumerated() {
            if k > 0 { try scorer.score(Self.columns(series, from: origins.origins[k - 1], to: origin), into: &scratch) }
            let times = (0..<steps).map { origin + Int64($0) * origins.cadenceMs }
            let ahead = ForecastColumns(
                time: times, seriesCodes: [Int32](repeating: 0, count: steps), seriesNames: [series.name],
                fieldNames: [Self.field], fields: [[Double](repeating: .nan, count: steps)])
            let bands = try scorer.bands(ahead, coverages: DayForecast.coverages)
            forecasts.append(
                DayForecast(mean: bands.forecast[0], lower: bands.lower.map { $0[0] }, upper: bands.upper.map { $0[0] }))
        }
    }

    static let field = "value"

    /// The events of `series` in [from, to), as the forecaster's columns.
    static func columns(_ series: RollingSeries, from: Int64, to: Int64) -> ForecastColumns {
        let lo = series.time.partitioningIndex { $0 >= from }, hi = series.time.partitioningIndex { $0 >= to }
        return ForecastColumns(
            time: Array(series.time[lo..<hi]), seriesCodes: [Int32](repeating: 0, count: hi - lo), seriesNames: [series.name],
            fieldNames: [field], fields: [Array(series.values[lo..<hi])])
    }
}

extension Array {
    /// The first index whose element satisfies `predicate`, which must be false then true along the array.
    fileprivate func partitioningIndex(where predicate: (Element) -> Bool) -> Int {
        var lo = 0, hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            if predicate(self[mid]) { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}
