/// Whether a context's profile follows the hour of day (`on`), is flat (`off`: each series' overall median
/// and scale), or is decided from the training window (`auto`, the default): an hourly profile is a model of a
/// daily cycle, and where there is none it only adds steps at every hour boundary. A series whose cycle is
/// three hours long, or a window shorter than two days, gets a flat profile under `auto`.
public enum DailyProfile: String, Sendable, CaseIterable {
    case auto, on, off

    /// The decision for `data` (sorted by time) spanning `spanMs`, and why, in plain words.
    public func decide(_ data: ForecastColumns, spanMs: Int64) throws -> (daily: Bool, reason: String) {
        switch self {
        case .on: return (true, "hourly profile: daily_profile=on")
        case .off: return (false, "flat profile: daily_profile=off")
        case .auto: return try Self.detect(data, spanMs: spanMs)
        }
    }

    /// Series the detection looks at, evenly spread over the stream's series.
    static let sampleSeries = 32
    /// Cells of the detection grid at most: a daily cycle shows as well on a coarser grid.
    static let gridCells: Int64 = 20_000

    /// The forecaster's season detection (`SeasonalityDetection`) on a sample of the window's series: the
    /// profile is hourly when the window holds two days and the detected periods include a day or a week.
    static func detect(_ data: ForecastColumns, spanMs: Int64) throws -> (daily: Bool, reason: String) {
        let day = SeasonalityDetection.day
        let sample = seriesSample(data)
        guard let cadence = CadenceInference.cadence(sample), let first = data.time.min(), let last = data.time.max() else {
            return (false, "flat profile: no series has two events at distinct times")
        }
        // Events from 00:00 to 23:55 at 5 minutes cover a day: a whole window (a shard's) and its events decide alike.
        let covered = max(spanMs, last - first + cadence)
        guard covered >= 2 * day else {
            return (false, "flat profile: the window spans \(SeasonalityDetection.describe(max(0, covered))), less than two days")
        }
        let step = gridCadence(cadence, spanMs: covered)
        let grid = try TargetGrid(sample, fieldOrder: Array(sample.fieldNames.indices), cadenceMs: step, aggregation: .mean)
        let found = SeasonalityDetection().detect(grid, cadenceMs: step)
        let daily = found.periodsMs.contains(day) || found.periodsMs.contains(SeasonalityDetection.week)
        return (daily, "\(daily ? "hourly" : "flat") profile: \(found.reason)")
    }

    /// The finest of the cadence and the calendar steps that divide a day whose grid over `spanMs` fits in
    /// `gridCells`.
    static func gridCadence(_ cadence: Int64, spanMs: Int64) -> Int64 {
        let steps: [Int64] = [60_000, 300_000, 900_000, 3_600_000]
        if spanMs / max(1, cadence) <= gridCells { return cadence }
        return steps.first { $0 >= cadence && spanMs / $0 <= gridCells } ?? max(cadence, 3_600_000)
    }

    /// `data`'s rows of at most `sampleSeries` series, evenly spread over its series codes.
    static func seriesSample(_ data: ForecastColumns) -> ForecastColumns {
        let n = data.seriesNames.count
        guard n > sampleSeries else { return data }
        var keep = [Bool](repeating: false, count: n)
        for k in 0..<sampleSeries { keep[k * n / sampleSeries] = true }
        let rows = data.seriesCodes.indices.filter { keep[Int(data.seriesCodes[$0])] }
        return ForecastColumns(
            time: rows.map { data.time[$0] }, seriesCodes: rows.map { data.seriesCodes[$0] }, seriesNames: data.seriesNames,
            fieldNames: data.fieldNames, fields: data.fields.map { column in rows.map { column[$0] } })
    }
}
