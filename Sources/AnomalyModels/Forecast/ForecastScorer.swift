import Foundation

/// One-step-ahead scoring with per-target state: each target's level, run of
/// anomalies, recent deviations and last cell seen, in flat arrays indexed by
/// target (series × fields + field), so a batch touches no per-event objects.
///
/// A fresh scorer knows nothing of the recent past; `warmUp(from:)` replays
/// recent history (from the archive, after a start or a rebalance) so its
/// first forecasts are as good as a long-running scorer's.
public struct ForecastScorer: Sendable {
    public let model: SeasonalForecaster
    private var level: [Double]
    private var run: [Int32]
    private var runSum: [Double]
    /// targets × lags, most recent first.
    private var recent: [Double]
    private var lastCell: [Int64]
    /// Per target, the running median of its one-step errors in the model's scales, and that median as
    /// validation saw it (NaN where it did not): their ratio, at least 1, widens the scale online.
    private var errorMedian: [Double]
    private let validatedMedian: [Double]
    /// The same for the deviations from the level (`level_score`): their running median and training's.
    private var levelMedian: [Double]
    private let levelTrainedMedian: [Double]
    /// The median's step up and down: exp(±scale_rate).
    private let widen: Double, narrow: Double
    private var featureCell = Int64.min
    private var features: [Double]
    /// The AR projection `forecastAhead` last ran: its target, steps and value, and the lags it reached, so rows
    /// of one series in time order cost one step each. Any change of state (a scored value, a reset) clears it.
    private var aheadTarget = -1
    private var aheadSteps: Int64 = 0
    private var aheadValue = 0.0
    private var aheadWork: [Double]

    public init(model: SeasonalForecaster) {
        self.model = model
        let m = model.targets
        level = Array(repeating: 0, count: m)
        run = Array(repeating: 0, count: m)
        runSum = Array(repeating: 0, count: m)
        recent = Array(repeating: 0, count: m * model.lags)
        lastCell = Array(repeating: .min, count: m)
        let levels = TailCalibration.levels.count
        validatedMedian = (0..<m).map { t in
            let q = model.calibration.quantiles.count == m * levels ? model.calibration.quantiles[t * levels] : .nan
            return q > 0 && q.isFinite ? q : .nan
        }
        errorMedian = validatedMedian
        levelTrainedMedian = (0..<m).map { t in
            guard let c = model.levelCalibration, c.quantiles.count == m * levels else { return .nan }
            let q = c.quantiles[t * levels]
            return q > 0 && q.isFinite ? q : .nan
        }
        levelMedian = levelTrainedMedian
        widen = exp(model.parameters.scaleRate)
        narrow = 1 / widen
        features = Array(repeating: 0, count: model.design.columns)
        aheadWork = Array(repeating: 0, count: model.lags)
    }

    /// The most the online scale may exceed the trained one: beyond twice as rough, a series has changed
    /// in a way a refit should learn, and its flags say so meanwhile.
    static let maximumWidening = 2.0

    /// The factor on target `t`'s scale: how much rougher its recent errors are than validation's.
    @inline(__always)
    private func scaleRatio(_ t: Int) -> Double { Self.ratio(errorMedian[t], to: validatedMedian[t]) }

    /// How much rougher a running median `m` is than the trained one `v`, at least 1 and at most `maximumWidening`.
    @inline(__always)
    private static func ratio(_ m: Double, to v: Double) -> Double { m > v ? min(m / v, maximumWidening) : 1 }

    /// A running median's step for one error in its scales: up by `widen` when the error is above it (at most to
    /// `maximumWidening` × the trained median), else down by `narrow`.
    @inline(__always)
    private func stepped(_ m: Double, trained v: Double, above: Bool) -> Double {
        above ? min(m * widen, v * Self.maximumWidening) : m * narrow
    }

    /// Scores every value of `batch`, in row order, against its series' one-step
    /// forecast, then takes it into the series' state.
    ///
    /// A value in a cell the series already passed (late or duplicate) is scored
    /// against its seasonal forecast and level without changing the state.
    /// Throws `ModelError.columnMismatch` when the batch lacks a field of the
    /// model, `.badParameter` when its columns are inconsistent.
    public mutating func score(_ batch: ForecastColumns, into out: inout ForecastScores) throws {
        try score(batch, into: &out, frozen: false)
    }

    /// Forecasts and scores every value of `batch` from the current state without
    /// taking any of them in: what the scorer expects, as of now, over a whole
    /// horizon (a day ahead, say). Each forecast is the seasonal part plus the
    /// current level plus the AR terms run forward from the series' last cell
    /// (each step's forecast taken as the next deviation), so a recent departure
    /// from the profile fades as the model learned it does. No series state changes.
    public mutating func forecastAhead(_ batch: ForecastColumns, into out: inout ForecastScores) throws {
        try score(batch, into: &out, frozen: true)
    }

    private mutating func score(_ batch: ForecastColumns, into out: inout ForecastScores, frozen: Bool) throws {
        if let problem = batch.shapeProblem() { throw ModelError.badParameter("batch to score: \(problem)") }
        let fieldColumns = try model.fieldNames.map { name in
            guard let i = batch.fieldNames.firstIndex(of: name) else {
                throw ModelError.columnMismatch(expected: model.fieldNames, found: batch.fieldNames)
            }
            return i
        }
        out.reset(fields: model.fieldNames, rows: batch.count)
        if !frozen { aheadTarget = -1 }
        var codes = [Int32](repeating: -1, count: batch.seriesNames.count)
        for (i, name) in batch.seriesNames.enumerated() { codes[i] = model.seriesIndex[name] ?? -1 }
        var reported = [Bool](repeating: false, count: codes.count)
        for row in 0..<batch.count {
            let code = Int(batch.seriesCodes[row])
            let series = Int(codes[code])
            guard series >= 0 else {
                for f in fieldColumns.indices { out.status[f][row] = .unknownSeries }
                if !reported[code] { reported[code] = true; out.unknownSeries.append(batch.seriesNames[code]) }
                continue
            }
            guard TargetGrid.validTimes.contains(batch.time[row]) else {
                for f in fieldColumns.indices { out.status[f][row] = .invalidTime }
                continue
            }
            let cell = TargetGrid.cell(batch.time[row], cadenceMs: model.design.cadenceMs)
            if cell != featureCell {
                features.withUnsafeMutableBufferPointer { model.design.features(cell: cell, into: $0.baseAddress!) }
                featureCell = cell
            }
            for (f, column) in fieldColumns.enumerated() {
                step(
                    target: series * fieldColumns.count + f, cell: cell, value: batch.fields[column][row], row: row,
                    field: f, frozen: frozen, out: &out)
            }
        }
    }

    @inline(__always)
    private mutating func step(
        target t: Int, cell: Int64, value: Double, row: Int, field f: Int, frozen: Bool, out: inout ForecastScores
    ) {
        guard model.trained[t] != 0 else {
            out.status[f][row] = .untrained
            return
        }
        let filter = model.filter
        let p = model.design.columns, lags = model.lags
        let seasonal = model.coefficients.withUnsafeBufferPointer { c in
            features.withUnsafeBufferPointer { x in
                var s = 0.0
                for j in 0..<p { s += c[t * p + j] * x[j] }
                return s
            }
        }
        let modelSigma = model.sigma[t], offset = model.logOffset[t]
        let sigma = modelSigma * scaleRatio(t)
        let last = lastCell[t]
        let late = frozen || (last != .min && cell <= last)
        let predicted = frozen && last != .min && cell > last ? level[t] + projectAhead(target: t, steps: cell - last)
            : recent.withUnsafeMutableBufferPointer { rec in
            model.phi.withUnsafeBufferPointer { phi in
                let r = rec.baseAddress! + t * lags
                if late { return level[t] }
                if last != .min, cell > last + 1 { filter.skip(cell - last - 1, recent: r) }
                return filter.predict(level: level[t], recent: r, phi: phi.baseAddress! + t * lags)
            }
        }
        let center = seasonal + predicted
        let width = model.intervalZ * sigma
        out.forecast[f][row] = TargetTransform.inverse(center, offset: offset)
        out.center[f][row] = center
        out.scale[f][row] = sigma
        out.lower[f][row] = TargetTransform.inverse(center - width, offset: offset)
        out.upper[f][row] = TargetTransform.inverse(center + width, offset: offset)
        guard value.isFinite else {
            out.status[f][row] = .missingValue
            return
        }
        let residual = TargetTransform.forward(value, offset: offset) - seasonal
        let z = (residual - predicted) / sigma
        var tail = model.tailProbability(target: t, z: z)
        var shown = z
        let deviation = residual - level[t]
        if let away = model.levelTail(target: t, deviation: deviation, widening: Self.ratio(levelMedian[t], to: levelTrainedMedian[t])) {
            if away.p < tail { shown = away.z }
            tail = TailCalibration.combined(min(tail, away.p), fields: 2)
        }
        out.score[f][row] = 1 - tail
        out.tail[f][row] = tail
        out.sigmas[f][row] = shown
        out.anomaly[f][row] = tail < model.parameters.alarmRate
        out.status[f][row] = .scored
        guard !late else { return }
        lastCell[t] = cell
        // A quantile step in log space: each error moves the median by the same factor whatever its size;
        // a flagged value does not move it, so a sustained anomaly cannot widen the scale it is judged by.
        // Held at the widest it can act, so a quieter spell narrows it back without delay.
        if widen > 1, errorMedian[t].isFinite, !out.anomaly[f][row] {
            errorMedian[t] = stepped(
                errorMedian[t], trained: validatedMedian[t], above: abs(residual - predicted) > errorMedian[t] * modelSigma)
        }
        if widen > 1, levelMedian[t].isFinite, let ls = model.levelSigma, !out.anomaly[f][row] {
            levelMedian[t] = stepped(levelMedian[t], trained: levelTrainedMedian[t], above: abs(deviation) > levelMedian[t] * ls[t])
        }
        var state = ResidualFilter.State(level: level[t], run: run[t], runSum: runSum[t])
        recent.withUnsafeMutableBufferPointer { rec in
            _ = filter.update(residual, predicted: predicted, sigma: sigma, state: &state, recent: rec.baseAddress! + t * lags)
        }
        level[t] = state.level
        run[t] = state.run
        runSum[t] = state.runSum
    }

    /// The AR part of target `t`'s forecast `steps` cells after its last, continuing the previous projection
    /// when it was of the same target and no further.
    private mutating func projectAhead(target t: Int, steps: Int64) -> Double {
        let lags = model.lags, filter = model.filter
        guard lags > 0 else { return 0 }
        if aheadTarget != t || steps < aheadSteps {
            for k in 0..<lags { aheadWork[k] = recent[t * lags + k] }
            aheadTarget = t
            aheadSteps = 0
            aheadValue = 0
        }
        var done = aheadSteps, value = aheadValue
        model.phi.withUnsafeBufferPointer { phi in
            aheadWork.withUnsafeMutableBufferPointer { work in
                while done < steps {
                    value = filter.predict(level: 0, recent: work.baseAddress!, phi: phi.baseAddress! + t * lags)
                    filter.push(value, into: work.baseAddress!)
                    done += 1
                }
            }
        }
        aheadSteps = done
        aheadValue = value
        return value
    }

    /// Replays `history` (in time order, whatever its row order) into the state,
    /// as if it had been scored; what it would have flagged is discarded.
    /// Series the model does not know are ignored.
    public mutating func warmUp(from history: ForecastColumns) throws {
        let order = history.time.indices.sorted { (history.time[$0], $0) < (history.time[$1], $1) }
        let sorted = ForecastColumns(
            time: order.map { history.time[$0] }, seriesCodes: order.map { history.seriesCodes[$0] },
            seriesNames: history.seriesNames, fieldNames: history.fieldNames,
            fields: history.fields.map { column in order.map { column[$0] } })
        var scratch = ForecastScores()
        try score(sorted, into: &scratch)
    }

    /// How many cells ahead of target `t`'s state `cell` lies (1: the next); nil when the target has taken nothing in.
    func stepsAhead(target t: Int, cell: Int64) -> Int64? {
        lastCell[t] == .min ? nil : max(1, cell - lastCell[t])
    }

    /// The start of the latest cell any field of `series` took in, or nil when it has taken none (or is unknown).
    public func lastTime(series: String) -> Int64? {
        guard let s = model.seriesIndex[series] else { return nil }
        let f = model.fieldNames.count
        let last = lastCell[(Int(s) * f)..<(Int(s) * f + f)].max() ?? .min
        return last == .min ? nil : last * model.design.cadenceMs
    }

    /// Forgets everything learned about `series` (for instance after a rebalance moved it away).
    public mutating func reset(series: String) {
        guard let s = model.seriesIndex[series] else { return }
        let f = model.fieldNames.count
        for t in (Int(s) * f)..<(Int(s) * f + f) {
            level[t] = 0; run[t] = 0; runSum[t] = 0; lastCell[t] = .min; errorMedian[t] = validatedMedian[t]
            levelMedian[t] = levelTrainedMedian[t]
            aheadTarget = -1
            for k in 0..<model.lags { recent[t * model.lags + k] = 0 }
        }
    }
}

extension ForecastScorer {
    /// Warms up on the last `duration` ms of `history` (ending at its newest row), as a
    /// streaming scorer does from the archive after a start or a rebalance.
    public mutating func warmUp(fromLast duration: Int64, of history: ForecastColumns) throws {
        let recent = (history.time.max() ?? 0) - duration
        let tail = history.time.indices.filter { history.time[$0] >= recent }
        try warmUp(
            from: ForecastColumns(
                time: tail.map { history.time[$0] }, seriesCodes: tail.map { history.seriesCodes[$0] },
                seriesNames: history.seriesNames, fieldNames: history.fieldNames,
                fields: history.fields.map { column in tail.map { column[$0] } }))
    }
}
