/// How well a forecaster with given periods forecasts the day ahead at the end of a training window: fitted on
/// everything before the window's last `days` days, its scorer warmed on the fit's last two days (as `serve`
/// warms up), then at each of those days' starts the whole day forecast ahead (`forecastAhead`) and compared
/// with what came, before the day is taken into the state (`score`), as a running scorer would.
///
/// This is what a user of the forecaster asks of it, so `PeriodSelection` ranks candidate periods by it rather
/// than by the autocorrelation alone (which picks a heartbeat of minutes or none at all on series whose day-ahead
/// forecast is best served by a day and a week). It runs on an even sample of the series, so a fleet's fit pays
/// for a few of them, and each candidate's own validation on one rolling origin instead of `validation_folds`:
/// the check itself is the held-out comparison, the inner validation only picks the candidate's harmonics, ridge,
/// lags and level rate, and three folds of it made the check cost three fits more per candidate.
struct DayAheadCheck {
    static let day: Int64 = 86_400_000
    static let days = 7
    /// The fit before the checked days must span at least this much.
    static let minimumFitMs: Int64 = 2 * day
    static let warmUpMs: Int64 = 2 * day
    static let sampleSeries = 16

    let fitRows: ForecastColumns
    let checkedDays: [ForecastColumns]
    let fields: [String]
    let fitWindow: Range<Int64>
    /// Per target of the sample, its mean |change| between consecutive events of the fit: each target's MAE is
    /// divided by it, so series of different sizes count alike.
    let scales: [Double]

    /// The check for `data` (its fields in `fieldOrder`) over `window` (default: its rows' span), or nil when
    /// the window is shorter than the checked days and `minimumFitMs` before them.
    init?(_ data: ForecastColumns, fieldOrder: [Int], window: Range<Int64>?, cadenceMs: Int64) {
        guard let first = data.time.min(), let last = data.time.max() else { return nil }
        let span = window ?? first..<(last + cadenceMs)
        let checkStart = span.upperBound - Int64(Self.days) * Self.day
        guard checkStart - span.lowerBound >= Self.minimumFitMs else { return nil }
        let sample = Self.sample(data, fieldOrder: fieldOrder)
        fields = fieldOrder.map { data.fieldNames[$0] }
        fitWindow = span.lowerBound..<checkStart
        fitRows = sample.rows { $0 < checkStart }
        checkedDays = (0..<Self.days).map { d in
            let from = checkStart + Int64(d) * Self.day
            return sample.rows { $0 >= from && $0 < from + Self.day }
        }
        scales = Self.meanChanges(fitRows, fields: fieldOrder.count)
    }

    /// An even sample of at most `sampleSeries` series of `data`, its fields in `fieldOrder`, in time order.
    private static func sample(_ data: ForecastColumns, fieldOrder: [Int]) -> ForecastColumns {
        let every = max(1, (data.seriesNames.count + sampleSeries - 1) / sampleSeries)
        let kept = Array(stride(from: 0, to: data.seriesNames.count, by: every))
        var code = [Int32](repeating: -1, count: data.seriesNames.count)
        for (i, s) in kept.enumerated() { code[s] = Int32(i) }
        let rows = data.time.indices.filter { code[Int(data.seriesCodes[$0])] >= 0 }.sorted {
            (data.time[$0], $0) < (data.time[$1], $1)
        }
        return ForecastColumns(
            time: rows.map { data.time[$0] }, seriesCodes: rows.map { code[Int(data.seriesCodes[$0])] },
            seriesNames: kept.map { data.seriesNames[$0] }, fieldNames: fieldOrder.map { data.fieldNames[$0] },
            fields: fieldOrder.map { f in rows.map { data.fields[f][$0] } })
    }

    /// Per target, the mean |change| between its consecutive finite values (rows in time order); NaN with none.
    private static func meanChanges(_ rows: ForecastColumns, fields: Int) -> [Double] {
        let m = rows.seriesNames.count * fields
        var last = [Double](repeating: .nan, count: m), sum = [Double](repeating: 0, count: m), count = sum
        for row in 0..<rows.count {
            for f in 0..<fields {
                let t = Int(rows.seriesCodes[row]) * fields + f, v = rows.fields[f][row]
                guard v.isFinite else { continue }
                if last[t].isFinite { sum[t] += abs(v - last[t]); count[t] += 1 }
                last[t] = v
            }
        }
        return (0..<m).map { count[$0] > 0 ? sum[$0] / count[$0] : .nan }
    }

    /// The mean over the sample's targets of the day-ahead MAE over the checked days, each over its scale, with
    /// `parameters` (cadence decided) and `periodsMs`; nil when that forecaster cannot be fitted on the part
    /// before the checked days (too short for a period, say) or nothing could be compared.
    func error(periodsMs: [Int64], parameters: ForecastParameters) -> Double? {
        var p = parameters
        p.periodsMs = periodsMs
        p.validationFolds = min(p.validationFolds, 1)
        guard let model = try? SeasonalForecaster.fit(fitRows, fields: fields, parameters: p, window: fitWindow, bandsAhead: false)
        else {
            return nil
        }
        var scorer = ForecastScorer(model: model)
        let m = scales.count
        var sum = [Double](repeating: 0, count: m), count = sum
        var ahead = ForecastScores(), scratch = ForecastScores()
        do {
            try scorer.warmUp(fromLast: Self.warmUpMs, of: fitRows)
            for rows in checkedDays where rows.count > 0 {
                try scorer.forecastAhead(rows, into: &ahead)
                for row in 0..<rows.count {
                    for f in fields.indices where ahead.status[f][row] == .scored {
                        let t = Int(rows.seriesCodes[row]) * fields.count + f
                        let e = abs(rows.fields[f][row] - ahead.forecast[f][row])
                        if e.isFinite { sum[t] += e; count[t] += 1 }
                    }
                }
                try scorer.score(rows, into: &scratch)
            }
        } catch {
            return nil
        }
        let scaled = (0..<m).compactMap { t -> Double? in
            count[t] > 0 && scales[t] > 0 && scales[t].isFinite ? sum[t] / count[t] / scales[t] : nil
        }
        return scaled.isEmpty ? nil : scaled.reduce(0, +) / Double(scaled.count)
    }
}
