/// How well a forecaster did on held-out data with known anomalies: the figures
/// issue 4 sets goals for, measured the same way by the tests and the bench.
public struct ForecastAccuracy: Sendable {
    /// Mean over targets of the one-step MAE on clean held-out values over the
    /// target's seasonal-naive MAE in the history (MASE), for the model and for
    /// the seasonal-naive forecast itself on the same values.
    public var mase = 0.0
    public var naiveMASE = 0.0
    /// MASE of day-ahead forecasts: each held-out day forecast in full from the state at its start.
    public var dayAheadMASE = 0.0
    /// Share of clean held-out values inside the prediction interval.
    public var coverage = 0.0
    /// Per event: an event is flagged when any of its fields is, and anomalous when labelled.
    public var precision = 0.0
    public var recall = 0.0
    public var events = 0
    public var labelled = 0
    public var flagged = 0

    /// 1 − MASE / seasonal-naive MASE: how much better than seasonal naive, one step ahead.
    public var improvement: Double { 1 - mase / naiveMASE }
    /// The same for day-ahead forecasts.
    public var dayAheadImprovement: Double { 1 - dayAheadMASE / naiveMASE }

    /// Warms a fresh scorer up on the last `warmUpMs` of `history` (as a streaming
    /// scorer does from the archive), scores `heldOut` one step ahead in
    /// batches of `batchRows`, and compares with `labels` (one per held-out row:
    /// true for an injected anomaly). Seasonal naive uses the value `seasonMs` earlier.
    /// Day-ahead forecasts are made at the start of every `seasonMs` of `heldOut`
    /// (which must be in time order, as archives and the simulator deliver it).
    public static func measure(
        _ model: SeasonalForecaster, history: ForecastColumns, heldOut: ForecastColumns, labels: [Bool],
        seasonMs: Int64 = 86_400_000, warmUpMs: Int64 = 2 * 86_400_000, batchRows: Int = 10_000
    ) throws -> ForecastAccuracy {
        precondition(labels.count == heldOut.count, "one label per held-out row")
        var scorer = ForecastScorer(model: model)
        try scorer.warmUp(fromLast: warmUpMs, of: history)
        let fields = model.fieldNames.count
        var values: [Int64: Double] = [:]
        func key(_ series: Int, _ f: Int, _ time: Int64) -> Int64 { (Int64(series * fields + f) << 44) | time }
        func collect(_ data: ForecastColumns) {
            let columns = model.fieldNames.map { data.fieldNames.firstIndex(of: $0) ?? -1 }
            for row in 0..<data.count {
                guard let s = model.seriesIndex[data.seriesNames[Int(data.seriesCodes[row])]] else { continue }
                for (f, c) in columns.enumerated() where c >= 0 { values[key(Int(s), f, data.time[row])] = data.fields[c][row] }
            }
        }
        collect(history)
        // In-sample seasonal-naive MAE of each target over the history: the MASE scale.
        var scaleSum = [Double](repeating: 0, count: model.targets), scaleCount = scaleSum
        for (k, v) in values {
            if let before = values[k - seasonMs], (v - before).isFinite {
                scaleSum[Int(k >> 44)] += abs(v - before)
                scaleCount[Int(k >> 44)] += 1
            }
        }
        collect(heldOut)

        var modelError = [Double](repeating: 0, count: model.targets), naiveError = modelError, counts = modelError
        var aheadError = modelError
        var inside = 0, clean = 0
        var result = ForecastAccuracy()
        var scores = ForecastScores(), ahead = ForecastScores()
        func rows(_ range: Range<Int>) -> ForecastColumns {
            ForecastColumns(
                time: Array(heldOut.time[range]), seriesCodes: Array(heldOut.seriesCodes[range]),
                seriesNames: heldOut.seriesNames, fieldNames: heldOut.fieldNames,
                fields: heldOut.fields.map { Array($0[range]) })
        }
        var start = 0, dayStart = 0, aheadRows = 0..<0
        while start < heldOut.count {
            if start == dayStart {
                let dayEnd = heldOut.time[start...].firstIndex { $0 >= heldOut.time[start] + seasonMs } ?? heldOut.count
                try scorer.forecastAhead(rows(dayStart..<dayEnd), into: &ahead)
                aheadRows = dayStart..<dayEnd
                dayStart = dayEnd
            }
            let range = start..<min(dayStart, start + batchRows)
            try scorer.score(rows(range), into: &scores)
            for (i, row) in range.enumerated() {
                var flagged = false
                guard let s = model.seriesIndex[heldOut.seriesNames[Int(heldOut.seriesCodes[row])]] else { continue }
                for f in 0..<fields where scores.status[f][i] == .scored {
                    flagged = flagged || scores.anomaly[f][i]
                    guard !labels[row] else { continue }
                    let t = Int(s) * fields + f
                    let time = heldOut.time[row]
                    let v = values[key(Int(s), f, time)] ?? .nan
                    clean += 1
                    if v >= scores.lower[f][i], v <= scores.upper[f][i] { inside += 1 }
                    if let before = values[key(Int(s), f, time - seasonMs)], before.isFinite {
                        modelError[t] += abs(v - scores.forecast[f][i])
                        aheadError[t] += abs(v - ahead.forecast[f][row - aheadRows.lowerBound])
                        naiveError[t] += abs(v - before)
                        counts[t] += 1
                    }
                }
                result.events += 1
                if labels[row] { result.labelled += 1 }
                if flagged { result.flagged += 1 }
                if flagged, labels[row] { result.precision += 1 }
            }
            start = range.upperBound
        }
        let hits = result.precision
        result.precision = result.flagged > 0 ? hits / Double(result.flagged) : 1
        result.recall = result.labelled > 0 ? hits / Double(result.labelled) : 1
        result.coverage = clean > 0 ? Double(inside) / Double(clean) : .nan
        var targets = 0.0
        for t in 0..<model.targets where counts[t] > 0 && scaleCount[t] > 0 && scaleSum[t] > 0 {
            let scale = scaleSum[t] / scaleCount[t]
            result.mase += modelError[t] / counts[t] / scale
            result.naiveMASE += naiveError[t] / counts[t] / scale
            result.dayAheadMASE += aheadError[t] / counts[t] / scale
            targets += 1
        }
        result.mase /= max(1, targets)
        result.naiveMASE /= max(1, targets)
        result.dayAheadMASE /= max(1, targets)
        return result
    }
}
