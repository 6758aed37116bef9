/// Forecasts ahead with prediction intervals at any coverage: what `forewarn forecast` and the serve
/// listener's `/forecast` answer.
public struct ForecastBands: Sendable {
    public var coverages: [Double]
    /// `[field][row]`, in the model's units; NaN where nothing is forecast.
    public var forecast: [[Double]]
    /// `[coverage][field][row]`.
    public var lower: [[[Double]]]
    public var upper: [[[Double]]]
    /// `[field][row]`: why a row has no forecast.
    public var status: [[ForecastStatus]]
}

extension SeasonalForecaster {
    /// The |z| within which a share `coverage` of target `t`'s one-step errors fell in validation (its calibrated
    /// tail at 1 − coverage), so a band at that coverage is forecast ± z × its scale.
    public func coverageZ(target t: Int, coverage: Double) -> Double {
        let p = 1 - coverage
        var lo = 0.0, hi = 1.0
        while tailProbability(target: t, z: hi) > p, hi < 1e6 { hi *= 2 }
        for _ in 0..<60 {
            let mid = (lo + hi) / 2
            if tailProbability(target: t, z: mid) > p { lo = mid } else { hi = mid }
        }
        return hi
    }
}

extension ForecastScorer {
    /// Forecasts every row of `batch` from the current state, as `forecastAhead` does (nothing is taken in),
    /// with a band per coverage in (0, 1). A band's half-width is the model's horizon calibration for the
    /// row's steps ahead of its series' last event (a series with no event yet takes the calibrated span's),
    /// times the series' current scale; coverages outside the calibrated ones scale it as the one-step tail
    /// calibration does. A model without a horizon calibration gives one-step bands. Throws as `score` does, and `ModelError.badParameter` for a coverage
    /// outside (0, 1).
    public mutating func bands(_ batch: ForecastColumns, coverages: [Double]) throws -> ForecastBands {
        guard coverages.allSatisfy({ $0 > 0 && $0 < 1 }) else {
            throw ModelError.badParameter("coverage must be in (0, 1), such as 0.8 or 0.95: \(coverages)")
        }
        var scores = ForecastScores()
        try forecastAhead(batch, into: &scores)
        let fields = model.fieldNames.count, n = batch.count
        var codes = [Int](repeating: -1, count: batch.seriesNames.count)
        for (i, name) in batch.seriesNames.enumerated() { codes[i] = model.seriesIndex[name].map(Int.init) ?? -1 }
        var zCache: [Int: [Double]] = [:]
        var lower = [[[Double]]](repeating: [[Double]](repeating: [Double](repeating: .nan, count: n), count: fields), count: coverages.count)
        var upper = lower
        for row in 0..<n {
            let series = codes[Int(batch.seriesCodes[row])]
            guard series >= 0 else { continue }
            for f in 0..<fields {
                let center = scores.center[f][row], scale = scores.scale[f][row]
                guard center.isFinite, scale.isFinite else { continue }
                let t = series * fields + f
                let z = zCache[t] ?? coverages.map { model.coverageZ(target: t, coverage: $0) }
                zCache[t] = z
                let offset = model.logOffset[t]
                let cell = TargetGrid.cell(batch.time[row], cadenceMs: model.design.cadenceMs)
                let steps = stepsAhead(target: t, cell: cell) ?? Int64(model.horizon?.span ?? 1)
                for (k, one) in z.enumerated() {
                    var zk = one
                    if let h = model.horizon {
                        let c = HorizonCalibration.clamped(coverages[k])
                        zk = h.halfWidth(field: f, step: steps, coverage: c)
                        if c != coverages[k] { zk *= one / model.coverageZ(target: t, coverage: c) }
                    }
                    lower[k][f][row] = TargetTransform.inverse(center - zk * scale, offset: offset)
                    upper[k][f][row] = TargetTransform.inverse(center + zk * scale, offset: offset)
                }
            }
        }
        return ForecastBands(coverages: coverages, forecast: scores.forecast, lower: lower, upper: upper, status: scores.status)
    }
}
