import LinearAlgebra

/// The hyperparameters rolling-origin validation settled on, and what it measured.
struct ForecastChoice {
    var harmonics: [Int]
    var ridge: Double
    var lags: Int
    var levelRate: Double
    /// NaN when the window was too short to validate.
    var intervalZ = Double.nan
    var folds = 0
    var targets = 0
    var candidates = 0
    var mase = Double.nan
    var naiveMASE = Double.nan
    var coverage = Double.nan
    /// How bands widen with the steps ahead, measured on the folds; nil without folds.
    var horizon: HorizonCalibration?
}

/// Rolling-origin validation on the end of the training window: each fold fits on
/// the cells before its origin and forecasts the next horizon one step ahead, as
/// scoring would. Runs on an even sample of targets; the design candidates are
/// compared with the simplest filter, then the filter candidates on the best design.
struct ForecastValidation {
    /// The grid's first cell and length (not the grid: holding it would make the
    /// fit's in-place residuals copy every target's history).
    let firstCell: Int64
    let cells: Int
    let parameters: ForecastParameters
    let floors: [Double]
    let sample: [Int]
    let sub: Matrix
    let horizon: Int
    let origins: [Int]
    let seasonLag: Int

    init(grid: TargetGrid, trained: [UInt8], floors: [Double], parameters: ForecastParameters, maxColumns: Int) {
        firstCell = grid.firstCell
        cells = grid.cells
        self.parameters = parameters
        let n = grid.cells
        let candidates = (0..<grid.targets).filter { trained[$0] != 0 }
        let step = max(1, candidates.count / parameters.validationTargets)
        sample = Array(stride(from: 0, to: candidates.count, by: step).prefix(parameters.validationTargets).map {
            candidates[$0]
        })
        self.floors = sample.map { floors[$0] }
        var sub = Matrix(rows: sample.count, columns: n)
        for (i, t) in sample.enumerated() {
            for c in 0..<n { sub.storage[i * n + c] = grid.values.storage[t * n + c] }
        }
        self.sub = sub
        let h = max(1, Int(parameters.horizonMs / parameters.cadenceMs))
        let lag = max(1, Int((parameters.periodsMs.first ?? parameters.horizonMs) / parameters.cadenceMs))
        var folds = parameters.validationFolds
        while folds > 0, n - folds * h < max(n / 2, 4 * maxColumns, lag + 1) { folds -= 1 }
        horizon = h
        seasonLag = lag
        origins = (0..<folds).map { [folds] in n - (folds - $0) * h }
    }

    /// Every combination of the per-period harmonic candidates.
    static func harmonicCombinations(_ lists: [[Int]]) -> [[Int]] {
        lists.reduce([[]]) { partial, options in partial.flatMap { prefix in options.map { prefix + [$0] } } }
    }

    func design(_ harmonics: [Int]) -> SeasonalDesign {
        let p = parameters
        return SeasonalDesign(
            cadenceMs: p.cadenceMs, periodsMs: p.periodsMs, harmonics: harmonics,
            calendarHarmonics: p.calendar ? p.calendarHarmonics : -1, trend: p.trend,
            trendOriginCell: firstCell, trendSpanCells: Int64(cells))
    }

    /// The best candidates on the folds, with the intervals calibrated and (with `bandsAhead`) the bands ahead
    /// measured. Targets are numbered series × `fields` + field.
    func choose(fields: Int, bandsAhead: Bool = true) throws -> ForecastChoice {
        let p = parameters
        let combos = Self.harmonicCombinations(p.harmonics)
        var choice = ForecastChoice(
            harmonics: combos[0], ridge: p.ridge[0], lags: p.lags[0], levelRate: p.levelRate[0])
        guard !origins.isEmpty, !sample.isEmpty else { return choice }
        choice.folds = origins.count
        choice.targets = sample.count
        var best = Double.infinity
        var bestResiduals: [Matrix] = []
        for harmonics in combos {
            let x = design(harmonics).matrix(firstCell: firstCell, count: cells)
            for ridge in p.ridge {
                let residuals = try origins.map { try foldResiduals(x, ridge: ridge, origin: $0) }
                let loss = evaluate(residuals, lags: choice.lags, levelRate: choice.levelRate).loss
                choice.candidates += 1
                if loss < best {
                    best = loss
                    choice.harmonics = harmonics
                    choice.ridge = ridge
                    bestResiduals = residuals
                }
            }
        }
        // No design could be measured (no sampled target has a seasonal-naive scale before an origin, say): the
        // defaults stand, and the intervals are calibrated in-sample, as for a window too short to validate.
        guard !bestResiduals.isEmpty else { return choice }
        best = .infinity
        var measured = Evaluation()
        for lags in p.lags {
            for rate in p.levelRate {
                let e = evaluate(bestResiduals, lags: lags, levelRate: rate)
                choice.candidates += 1
                if e.loss < best {
                    best = e.loss
                    measured = e
                    choice.lags = lags
                    choice.levelRate = rate
                }
            }
        }
        choice.mase = measured.mase
        choice.naiveMASE = measured.naiveMASE
        calibrate(measured.cleanZ, into: &choice)
        guard bandsAhead else { return choice }
        choice.horizon = try horizonCalibration(
            harmonics: choice.harmonics, ridge: choice.ridge, lags: choice.lags, levelRate: choice.levelRate, fields: fields)
        return choice
    }

    /// Interval half-width from the clean held-out |z| of all folds but the last, checked on the last.
    private func calibrate(_ cleanZ: [[Double]], into choice: inout ForecastChoice) {
        let calibration = cleanZ.count > 1 ? Array(cleanZ.dropLast().joined()) : cleanZ.last ?? []
        guard !calibration.isEmpty else { return }
        choice.intervalZ = Self.quantile(calibration, parameters.coverage)
        if let check = cleanZ.last, !check.isEmpty {
            choice.coverage = Double(check.count(where: { $0 <= choice.intervalZ })) / Double(check.count)
        }
    }

    static func quantile(_ values: [Double], _ q: Double) -> Double {
        let sorted = values.sorted()
        let position = q * Double(sorted.count - 1)
        let lo = Int(position), hi = min(lo + 1, sorted.count - 1)
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (position - Double(lo))
    }

    /// The sample's residuals over the whole window from a regression fitted before `origin`.
    func foldResiduals(_ x: Matrix, ridge: Double, origin: Int) throws -> Matrix {
        let n = cells, columns = x.columns
        var y = Matrix(rows: sub.rows, columns: origin)
        for i in 0..<sub.rows { for c in 0..<origin { y.storage[i * origin + c] = sub.storage[i * n + c] } }
        let prefix = Matrix(rows: origin, columns: columns, storage: Array(x.storage[0..<(origin * columns)]))
        let coefficients = try SharedRidge.fit(y, x: prefix, ridge: ridge, unpenalised: 1)
        return SharedRidge.residuals(sub, coefficients: coefficients, x: x)
    }

    struct Evaluation {
        var loss = Double.infinity
        var mase = Double.nan
        var naiveMASE = Double.nan
        /// Per fold, |z| of the held-out points the model did not flag.
        var cleanZ: [[Double]] = []
    }

    /// Mean over folds and targets of the held-out one-step MAE (errors clipped at the
    /// threshold, so anomalies do not pick the model) over the in-sample seasonal-naive MAE.
    private func evaluate(_ residuals: [Matrix], lags: Int, levelRate: Double) -> Evaluation {
        let p = parameters
        let filter = ResidualFilter(
            lags: lags, levelRate: levelRate, threshold: p.threshold, confirm: Int32(p.shiftConfirm))
        let n = cells
        var errors = [Double](repeating: 0, count: n), scratch = [Double](repeating: 0, count: n)
        var phi = [Double](repeating: 0, count: max(1, lags))
        var loss = 0.0, mase = 0.0, naive = 0.0, terms = 0
        var cleanZ: [[Double]] = []
        for (fold, origin) in origins.enumerated() {
            let end = min(n, origin + horizon)
            var zs: [Double] = []
            for i in 0..<sub.rows {
                let y = Array(sub.storage[(i * n)..<(i * n + n)])
                let scale = SeasonalNaive.mae(y, lag: seasonLag, over: seasonLag..<max(seasonLag, origin))
                guard scale > 0, scale.isFinite else { continue }
                let sigma = residuals[fold].storage.withUnsafeBufferPointer { r in
                    filter.fit(
                        r.baseAddress! + i * n, cells: end, fitCells: origin, errors: &errors, phi: &phi,
                        scratch: &scratch, floor: floors[i]
                    )
                }
                var clipped = 0.0, plain = 0.0, count = 0
                for c in origin..<end where errors[c].isFinite {
                    let z = abs(errors[c]) / sigma
                    clipped += min(z, p.threshold) * sigma
                    plain += abs(errors[c])
                    count += 1
                    if z <= p.threshold { zs.append(z) }
                }
                guard count > 0 else { continue }
                loss += clipped / Double(count) / scale
                mase += plain / Double(count) / scale
                naive += SeasonalNaive.mae(y, lag: seasonLag, over: origin..<end) / scale
                terms += 1
            }
            cleanZ.append(zs)
        }
        guard terms > 0 else { return Evaluation() }
        let k = Double(terms)
        return Evaluation(loss: loss / k, mase: mase / k, naiveMASE: naive / k, cleanZ: cleanZ)
    }
}
