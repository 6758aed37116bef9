extension SeasonalForecaster {
    /// One forecaster from forecasters fitted apart on disjoint series (the
    /// shards of a sharded fit). Every per-target array is concatenated, so
    /// each series is forecast and scored exactly as by its part. That is
    /// sound only when the parts share one design and one set of
    /// hyperparameters: same parameters, design (trend origin and span
    /// included: fit them with the same `window`), lags, level rate and ridge.
    ///
    /// The interval half-width is one number per model: the merged one is the
    /// parts' calibrated widths averaged over their targets, so bands (not
    /// scores or flags) of a series may differ slightly from its part's.
    /// Validation figures, and the horizon calibration's half-widths, are averaged
    /// the same way, over validated targets.
    ///
    /// Throws `ModelError.badParameter` naming the first disagreement, or a
    /// series found in two parts.
    public static func merge(_ parts: [SeasonalForecaster]) throws -> SeasonalForecaster {
        guard let first = parts.first else { throw ModelError.badParameter("no forecaster to merge") }
        for (i, part) in parts.enumerated().dropFirst() {
            if let difference = first.hyperparameterDifference(part) {
                throw ModelError.badParameter("forecaster \(i) was fitted with \(difference): cannot merge")
            }
        }
        var seen: Set<String> = []
        for name in parts.flatMap(\.seriesNames) where !seen.insert(name).inserted {
            throw ModelError.badParameter("series '\(name)' is in two of the forecasters to merge")
        }
        func weighted(_ value: (SeasonalForecaster) -> Double, by weight: (SeasonalForecaster) -> Int) -> Double {
            let usable = parts.filter { value($0).isFinite && weight($0) > 0 }
            let total = usable.reduce(0) { $0 + weight($1) }
            guard total > 0 else { return .nan }
            return usable.reduce(0.0) { $0 + value($1) * Double(weight($1)) } / Double(total)
        }
        var metrics = first.metrics
        metrics.targets = parts.reduce(0) { $0 + $1.targets }
        metrics.untrainedTargets = parts.reduce(0) { $0 + $1.metrics.untrainedTargets }
        metrics.constantTargets = parts.reduce(0) { $0 + $1.metrics.constantTargets }
        metrics.validationFolds = parts.map(\.metrics.validationFolds).min() ?? 0
        metrics.validationTargets = parts.reduce(0) { $0 + $1.metrics.validationTargets }
        metrics.candidatesTried = parts.map(\.metrics.candidatesTried).max() ?? 0
        metrics.validationMASE = weighted(\.metrics.validationMASE, by: \.metrics.validationTargets)
        metrics.seasonalNaiveMASE = weighted(\.metrics.seasonalNaiveMASE, by: \.metrics.validationTargets)
        metrics.holdoutCoverage = weighted(\.metrics.holdoutCoverage, by: \.metrics.validationTargets)
        return SeasonalForecaster(
            parameters: first.parameters, design: first.design, seriesNames: parts.flatMap(\.seriesNames),
            fieldNames: first.fieldNames, lags: first.lags, levelRate: first.levelRate, ridge: first.ridge,
            intervalZ: weighted(\.intervalZ, by: \.targets), metrics: metrics, warnings: parts.flatMap(\.warnings), choices: parts.first?.choices ?? [],
            coefficients: parts.flatMap(\.coefficients), phi: parts.flatMap(\.phi), sigma: parts.flatMap(\.sigma),
            calibration: TailCalibration(
                quantiles: parts.flatMap(\.calibration.quantiles), tailScale: parts.flatMap(\.calibration.tailScale)),
            levelSigma: parts.allSatisfy { $0.levelSigma != nil } ? parts.flatMap { $0.levelSigma! } : nil,
            levelCalibration: parts.allSatisfy { $0.levelCalibration != nil }
                ? TailCalibration(
                    quantiles: parts.flatMap { $0.levelCalibration!.quantiles },
                    tailScale: parts.flatMap { $0.levelCalibration!.tailScale }) : nil,
            logOffset: parts.flatMap(\.logOffset), trained: parts.flatMap(\.trained),
            horizon: HorizonCalibration.merged(parts.map(\.horizon), weights: parts.map(\.metrics.validationTargets)))
    }

    /// What `other` was fitted with that this model was not, in words; nil when they agree.
    func hyperparameterDifference(_ other: SeasonalForecaster) -> String? {
        if other.fieldNames != fieldNames { return "fields \(other.fieldNames), not \(fieldNames)" }
        if other.parameters != parameters { return "parameters \(other.parameters.settings), not \(parameters.settings)" }
        if other.design != design {
            return "design \(other.design.harmonics) harmonics, trend cells \(other.design.trendOriginCell)+"
                + "\(other.design.trendSpanCells), not \(design.harmonics), \(design.trendOriginCell)+\(design.trendSpanCells)"
        }
        if other.lags != lags || other.levelRate != levelRate || other.ridge != ridge {
            return "lags \(other.lags), level rate \(other.levelRate), ridge \(other.ridge), "
                + "not \(lags), \(levelRate), \(ridge)"
        }
        return nil
    }
}

extension ForecastParameters {
    /// The parameters given more than one candidate, which rolling-origin
    /// validation chooses among on the data at hand.
    public var validatedParameters: [String] {
        var out: [String] = []
        // Decided from each shard's own data, so shards could decide differently.
        if inferCadence { out.append("cadence") }
        if detectPeriods { out.append("period") }
        if autoHarmonics || harmonics.contains(where: { $0.count > 1 }) { out.append("harmonics") }
        if ridge.count > 1 { out.append("ridge") }
        if lags.count > 1 { out.append("lags") }
        if levelRate.count > 1 { out.append("level_rate") }
        return out
    }
}
