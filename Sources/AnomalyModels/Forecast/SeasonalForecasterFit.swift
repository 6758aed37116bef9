import LinearAlgebra

extension SeasonalForecaster {
    /// Fits one forecaster for every (series, field) of `data`.
    ///
    /// Values are regularised to the cadence, transformed, and regressed on a
    /// design all targets share (one factorisation, one gemm for Xᵀ Y); each
    /// target's residuals then get their own level and AR filter. Harmonics,
    /// ridge penalty, lags and level rate are chosen by rolling-origin
    /// validation on the end of the window, which also calibrates the
    /// intervals and measures their coverage.
    ///
    /// - Parameter fields: the fields to forecast, in order (default: all of `data`'s).
    /// - Parameter window: the training window [from, to) in epoch ms; the
    ///   grid (and so the trend's origin and span) covers it even where `data`
    ///   has no rows, so fits of different series on one window share a design.
    /// - Throws: `ModelError.badParameter` for unusable parameters or columns,
    ///   `.columnMismatch` for a field `data` lacks, `.emptyTrainingData` without
    ///   rows, `.insufficientHistory` when the window is shorter than the
    ///   seasonality needs. Targets without a value in the window, or constant,
    ///   are fitted as far as possible and named in `warnings`.
    public static func fit(
        _ data: ForecastColumns, fields: [String]? = nil, parameters: ForecastParameters = ForecastParameters(),
        window: Range<Int64>? = nil
    ) throws -> SeasonalForecaster {
        try fit(data, fields: fields, parameters: parameters, window: window, bandsAhead: true)
    }

    /// `fit`, with the bands ahead left uncalibrated when not `bandsAhead` (the model then widens bands as one
    /// step ahead): for `DayAheadCheck`, which only compares forecasts, and for which calibrating every step from
    /// every origin would be most of the cost.
    static func fit(
        _ data: ForecastColumns, fields: [String]?, parameters: ForecastParameters, window: Range<Int64>?,
        bandsAhead: Bool
    ) throws -> SeasonalForecaster {
        if let problem = parameters.problem() { throw ModelError.badParameter("forecaster parameters: \(problem)") }
        if let problem = data.shapeProblem() { throw ModelError.badParameter("training columns: \(problem)") }
        let fieldNames = fields ?? data.fieldNames
        guard !fieldNames.isEmpty else { throw ModelError.badParameter("no field to forecast") }
        let order = try fieldNames.map { name in
            guard let i = data.fieldNames.firstIndex(of: name) else {
                throw ModelError.columnMismatch(expected: fieldNames, found: data.fieldNames)
            }
            return i
        }
        guard data.count > 0 else { throw ModelError.emptyTrainingData }
        let (parameters, choices) = try parameters.resolved(for: data, fieldOrder: order, window: window)
        var grid = try TargetGrid(
            data, fieldOrder: order, cadenceMs: parameters.cadenceMs, aggregation: parameters.aggregation,
            window: window)
        try checkHistory(cells: grid.cells, parameters)

        let n = grid.cells, m = grid.targets, fieldCount = fieldNames.count
        var offsets = [Double](repeating: .nan, count: m)
        var floors = [Double](repeating: 1e-4, count: m)
        var trained = [UInt8](repeating: 1, count: m)
        var warnings: [String] = []
        var metrics = ForecastMetrics()
        var scratch = [Double](repeating: 0, count: n)
        func name(_ t: Int) -> String { "series '\(data.seriesNames[t / fieldCount])' field '\(fieldNames[t % fieldCount])'" }
        grid.values.storage.withUnsafeMutableBufferPointer { v in
            for t in 0..<m {
                let s = TargetTransform.apply(v.baseAddress! + t * n, n, mode: parameters.transform, scratch: &scratch)
                offsets[t] = s.offset
                if s.observed < 2 {
                    trained[t] = 0
                    warnings.append("\(name(t)) has \(s.observed) value(s) in the training window: not modelled")
                    continue
                }
                floors[t] = 1e-4 * (1 + abs(s.median))
                if s.constant {
                    metrics.constantTargets += 1
                    warnings.append(
                        "\(name(t)) is constant in the training window: its scale is floored, so any change is an anomaly")
                }
            }
        }
        metrics.untrainedTargets = trained.count(where: { $0 == 0 })
        guard metrics.untrainedTargets < m else {
            throw ModelError.insufficientHistory(
                "no series has two values of \(fieldNames.joined(separator: ", ")) in the training window "
                    + "(every value is missing or NaN): nothing to fit")
        }

        let maxColumns = ForecastValidation.harmonicCombinations(parameters.harmonics).map {
            SeasonalDesign(
                cadenceMs: parameters.cadenceMs, periodsMs: parameters.periodsMs, harmonics: $0,
                calendarHarmonics: parameters.calendar ? parameters.calendarHarmonics : -1, trend: parameters.trend,
                trendOriginCell: 0, trendSpanCells: 1
            ).columns
        }.max() ?? 1
        let validation = ForecastValidation(
            grid: grid, trained: trained, floors: floors, parameters: parameters, maxColumns: maxColumns)
        let choice = try validation.choose(fields: fieldCount, bandsAhead: bandsAhead)
        let design = validation.design(choice.harmonics)
        let x = design.matrix(firstCell: grid.firstCell, count: n)
        let coefficients = try SharedRidge.fit(grid.values, x: x, ridge: choice.ridge, unpenalised: design.unpenalised)
        SharedRidge.subtractFit(from: &grid.values, coefficients: coefficients, x: x)
        let residuals = grid.values

        let filter = ResidualFilter(
            lags: choice.lags, levelRate: choice.levelRate, threshold: parameters.threshold,
            confirm: Int32(parameters.shiftConfirm))
        var sigma = [Double](repeating: 1, count: m)
        var phi = [Double](repeating: 0, count: m * choice.lags)
        var errors = [Double](repeating: 0, count: n)
        var inSampleZ: [Double] = []
        var lagBuffer = [Double](repeating: 0, count: max(1, choice.lags))
        var tailQuantiles: [Double] = [], tailScale: [Double] = []
        var deviations: [Double] = []
        let scoreLevels = parameters.levelScore
        var levelDeviations = [Double](repeating: .nan, count: scoreLevels ? n : 0)
        var levelSigma = [Double](repeating: 1, count: scoreLevels ? m : 0)
        var levelQuantiles: [Double] = [], levelTailScale: [Double] = []
        // Without rolling origins for the bands ahead, they are calibrated in-sample on the validation sample.
        var sampler = HorizonSampler(span: validation.horizonSpan(), fields: fieldCount)
        var isSampled = [Bool](repeating: false, count: m)
        if choice.horizon == nil, bandsAhead { for t in validation.sample { isSampled[t] = true } }
        var levels = [Double](repeating: .nan, count: n), pushed = [Double](repeating: 0, count: n)
        residuals.storage.withUnsafeBufferPointer { r in
            for t in 0..<m {
                guard trained[t] != 0 else {
                    TailCalibration.fit([], quantiles: &tailQuantiles, tailScale: &tailScale)
                    if scoreLevels { TailCalibration.fit([], quantiles: &levelQuantiles, tailScale: &levelTailScale) }
                    continue
                }
                sigma[t] = levelDeviations.withUnsafeMutableBufferPointer { ld in
                    levels.withUnsafeMutableBufferPointer { lv in
                        pushed.withUnsafeMutableBufferPointer { pu in
                            filter.fit(
                                r.baseAddress! + t * n, cells: n, fitCells: n, errors: &errors, phi: &lagBuffer,
                                scratch: &scratch, floor: floors[t], levelDeviations: scoreLevels ? ld.baseAddress : nil,
                                levels: isSampled[t] ? lv.baseAddress : nil, pushed: isSampled[t] ? pu.baseAddress : nil)
                        }
                    }
                }
                if isSampled[t] {
                    sampler.add(
                        field: t % fieldCount, r: r.baseAddress! + t * n, n: n, filter: filter, phi: lagBuffer,
                        sigma: sigma[t], errors: errors, levels: levels, pushed: pushed, cells: 0..<n,
                        origins: stride(from: 1, to: n, by: 1))
                }
                if scoreLevels {
                    let s = levelDeviations.withUnsafeBufferPointer { ld in
                        RobustScale.sigma(ld.baseAddress!, n, work: &scratch)
                    }
                    levelSigma[t] = s.isFinite ? max(floors[t], s) : floors[t]
                    TailCalibration.fit(
                        levelDeviations.map { abs($0) / levelSigma[t] }, quantiles: &levelQuantiles, tailScale: &levelTailScale)
                }
                for k in 0..<choice.lags { phi[t * choice.lags + k] = lagBuffer[k] }
                deviations.removeAll(keepingCapacity: true)
                for e in errors where e.isFinite { deviations.append(abs(e) / sigma[t]) }
                TailCalibration.fit(deviations, quantiles: &tailQuantiles, tailScale: &tailScale)
                if choice.intervalZ.isNaN, inSampleZ.count < 1_000_000 {
                    for e in errors where e.isFinite && abs(e) <= parameters.threshold * sigma[t] {
                        inSampleZ.append(abs(e) / sigma[t])
                    }
                }
            }
        }
        var intervalZ = choice.intervalZ
        if intervalZ.isNaN {
            // Too short to validate: in-sample errors, or with none at all a normal law's 95% (±2σ).
            intervalZ = inSampleZ.isEmpty ? 2 : ForecastValidation.quantile(inSampleZ, parameters.coverage)
        }

        metrics.trainingCells = n
        metrics.firstCell = grid.firstCell
        metrics.targets = m
        metrics.validationFolds = choice.folds
        metrics.validationTargets = choice.targets
        metrics.candidatesTried = choice.candidates
        metrics.validationMASE = choice.mase
        metrics.seasonalNaiveMASE = choice.naiveMASE
        metrics.holdoutCoverage = choice.coverage
        return SeasonalForecaster(
            parameters: parameters, design: design, seriesNames: data.seriesNames, fieldNames: fieldNames,
            lags: choice.lags, levelRate: choice.levelRate, ridge: choice.ridge, intervalZ: intervalZ,
            metrics: metrics, warnings: warnings, choices: choices, coefficients: coefficients.storage, phi: phi, sigma: sigma,
            calibration: TailCalibration(quantiles: tailQuantiles, tailScale: tailScale),
            levelSigma: scoreLevels ? levelSigma : nil,
            levelCalibration: scoreLevels ? TailCalibration(quantiles: levelQuantiles, tailScale: levelTailScale) : nil,
            logOffset: offsets, trained: trained,
            horizon: !bandsAhead ? nil : choice.horizon ?? HorizonCalibration(
                bucketEnds: sampler.ends, halfWidths: sampler.halfWidths(),
                holdoutCoverage: sampler.ends.map { _ in .nan }, fields: fieldCount))
    }

    /// The window must hold `minimumCycles` of the longest period, and more cells than regressors.
    private static func checkHistory(cells: Int, _ p: ForecastParameters) throws {
        let span = Int64(cells) * p.cadenceMs
        let longest = p.periodsMs.max() ?? 0
        let needed = Int64((Double(longest) * p.minimumCycles).rounded(.up))
        guard span >= needed else {
            throw ModelError.insufficientHistory(
                "the training window spans \(duration(span)) (\(cells) cells of \(duration(p.cadenceMs))), but a "
                    + "seasonal period of \(duration(longest)) needs \(p.minimumCycles.formatted) cycles, "
                    + "\(duration(needed)): train on a longer window or drop that period")
        }
    }

    static func duration(_ ms: Int64) -> String {
        if ms % 86_400_000 == 0 { return "\(ms / 86_400_000) d" }
        if ms % 3_600_000 == 0 { return "\(ms / 3_600_000) h" }
        if ms % 60_000 == 0 { return "\(ms / 60_000) min" }
        if ms % 1000 == 0 { return "\(ms / 1000) s" }
        return "\(ms) ms"
    }
}

extension Double {
    fileprivate var formatted: String { self == rounded() ? String(Int(self)) : String(self) }
}
