import LinearAlgebra

extension ForecastValidation {
    /// Rolling origins the bands ahead are calibrated on, one span apart (fewer when the window is short).
    static let horizonFolds = 8

    /// The calibrated span: the validation horizon, or a day where the window holds four of them.
    func horizonSpan() -> Int {
        let day = Int(86_400_000 / max(1, parameters.cadenceMs))
        return max(horizon, min(day, cells / 4))
    }

    /// Measures the bands ahead (see `HorizonCalibration`) with the chosen model on up to `horizonFolds`
    /// rolling origins in the second half of the window, each with its regression fitted before it, forecasting
    /// ahead from every cell of each fold (see `HorizonSampler`): the
    /// half-widths from all of them, the held-out coverage per bucket from half-widths measured on all but
    /// the last and checked on the last. Nil when the window holds no such origin.
    func horizonCalibration(
        harmonics: [Int], ridge: Double, lags: Int, levelRate: Double, fields: Int
    ) throws -> HorizonCalibration? {
        guard !sample.isEmpty, fields > 0 else { return nil }
        let p = parameters
        let filter = ResidualFilter(lags: lags, levelRate: levelRate, threshold: p.threshold, confirm: Int32(p.shiftConfirm))
        let n = cells, span = horizonSpan()
        let x = design(harmonics).matrix(firstCell: firstCell, count: cells)
        var folds = Self.horizonFolds
        while folds > 0, n - folds * span < max(n / 2, 4 * x.columns, seasonLag + 1) { folds -= 1 }
        guard folds > 0 else { return nil }
        let starts = (0..<folds).map { n - (folds - $0) * span }
        var all = HorizonSampler(span: span, fields: fields, groups: folds > 1 ? 2 : 0)
        var errors = [Double](repeating: 0, count: n), scratch = [Double](repeating: 0, count: n)
        var levels = [Double](repeating: .nan, count: n), pushed = [Double](repeating: 0, count: n)
        var phi = [Double](repeating: 0, count: max(1, lags))
        for (fold, origin) in starts.enumerated() {
            let g: Int? = folds > 1 ? (fold == folds - 1 ? 1 : 0) : nil
            let residuals = try foldResiduals(x, ridge: ridge, origin: origin)
            let end = min(n, origin + span)
            for (i, target) in sample.enumerated() {
                residuals.storage.withUnsafeBufferPointer { r in
                    let row = r.baseAddress! + i * n
                    let sigma = filter.fit(
                        row, cells: n, fitCells: origin, errors: &errors, phi: &phi, scratch: &scratch, floor: floors[i],
                        levels: &levels, pushed: &pushed)
                    all.add(
                        field: target % fields, group: g, r: row, n: n, filter: filter, phi: phi, sigma: sigma,
                        errors: errors, levels: levels, pushed: pushed, cells: origin..<end,
                        origins: stride(from: origin, to: end, by: 1))
                }
            }
        }
        return HorizonCalibration(
            bucketEnds: all.ends, halfWidths: all.halfWidths(), holdoutCoverage: all.heldOutCoverage(at: p.coverage),
            fields: fields)
    }
}
