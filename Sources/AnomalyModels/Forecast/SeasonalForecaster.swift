/// A fitted seasonal forecaster: for every target (a series' field), a ridge
/// regression on trend, Fourier and calendar terms shared by all targets, and
/// a one-step filter (local level, AR lags) on its residuals, with a robust
/// residual scale for intervals and scores. Immutable; scoring state lives in
/// `ForecastScorer`.
///
/// Targets are numbered `series × fieldNames.count + field`.
public struct SeasonalForecaster: Sendable {
    public let parameters: ForecastParameters
    public let design: SeasonalDesign
    public let seriesNames: [String]
    public let fieldNames: [String]
    public let lags: Int
    public let levelRate: Double
    public let ridge: Double
    /// Half-width of the prediction interval in robust residual scales, calibrated on held-out data.
    public let intervalZ: Double
    public let metrics: ForecastMetrics
    /// Targets the fit could not model as asked (constant, never observed), in plain words.
    public let warnings: [String]
    /// What the fit decided for the `auto` parameters, and why (one line each).
    public let choices: [String]
    /// targets × design.columns regression coefficients, in transformed units.
    let coefficients: [Double]
    /// targets × lags AR coefficients.
    let phi: [Double]
    /// Robust scale of each target's one-step errors (transformed units), > 0.
    let sigma: [Double]
    /// Per target, the tail probabilities of its standardised one-step errors, from training: the score is 1 - p.
    let calibration: TailCalibration
    /// Per target, the robust scale of its values' deviations from the level (the forecast without AR terms),
    /// and their tail calibration; nil for models fitted without `level_score` (or before it existed).
    let levelSigma: [Double]?
    let levelCalibration: TailCalibration?
    /// How the bands widen with the steps ahead; nil for models fitted without validation folds
    /// (or before it existed), whose bands ahead are one-step bands.
    public let horizon: HorizonCalibration?
    /// c in log(y + c) for log-transformed targets, NaN for untransformed ones.
    let logOffset: [Double]
    /// 1 when the target had data to fit on; scoring an untrained target reports it and skips it.
    let trained: [UInt8]
    let seriesIndex: [String: Int32]

    init(
        parameters: ForecastParameters, design: SeasonalDesign, seriesNames: [String], fieldNames: [String],
        lags: Int, levelRate: Double, ridge: Double, intervalZ: Double, metrics: ForecastMetrics, warnings: [String],
        choices: [String] = [], coefficients: [Double], phi: [Double], sigma: [Double], calibration: TailCalibration? = nil,
        levelSigma: [Double]? = nil, levelCalibration: TailCalibration? = nil, logOffset: [Double], trained: [UInt8],
        horizon: HorizonCalibration? = nil
    ) {
        self.parameters = parameters; self.design = design; self.seriesNames = seriesNames
        self.fieldNames = fieldNames; self.lags = lags; self.levelRate = levelRate; self.ridge = ridge
        self.intervalZ = intervalZ; self.metrics = metrics; self.warnings = warnings
        self.choices = choices
        self.coefficients = coefficients; self.phi = phi; self.sigma = sigma; self.logOffset = logOffset
        self.calibration = calibration ?? .normal(targets: seriesNames.count * fieldNames.count)
        self.trained = trained
        self.levelSigma = levelSigma
        self.levelCalibration = levelCalibration
        self.horizon = horizon
        var index: [String: Int32] = [:]
        for (i, name) in seriesNames.enumerated() { index[name] = Int32(i) }
        seriesIndex = index
    }

    public var targets: Int { seriesNames.count * fieldNames.count }

    var filter: ResidualFilter {
        ResidualFilter(
            lags: lags, levelRate: levelRate, threshold: parameters.threshold,
            confirm: Int32(parameters.shiftConfirm))
    }

    /// The tail probability of standardised one-step error `z` for target `t`: the share of its training
    /// errors at least as large, extrapolated beyond them.
    @inline(__always)
    func tailProbability(target t: Int, z: Double) -> Double { calibration.probability(target: t, deviation: abs(z)) }

    /// The tail probability of a deviation of `d` (transformed units) from target `t`'s level, and that deviation
    /// in its robust scales; nil when the model has no level score.
    @inline(__always)
    func levelTail(target t: Int, deviation d: Double, widening: Double = 1) -> (p: Double, z: Double)? {
        guard let levelSigma, let levelCalibration else { return nil }
        let z = d / (levelSigma[t] * widening)
        return (levelCalibration.probability(target: t, deviation: abs(z)), z)
    }
}

/// What the fit measured, stored with the model.
public struct ForecastMetrics: Sendable, Equatable {
    public var trainingCells = 0
    public var firstCell: Int64 = 0
    public var targets = 0
    public var untrainedTargets = 0
    public var constantTargets = 0
    /// Rolling origins validated on (0 when the window was too short to validate).
    public var validationFolds = 0
    public var validationTargets = 0
    public var candidatesTried = 0
    /// Held-out one-step MAE over the in-sample seasonal-naive MAE (transformed units), mean over targets.
    public var validationMASE = Double.nan
    /// The same for the seasonal-naive forecast itself on the same points.
    public var seasonalNaiveMASE = Double.nan
    /// Share of clean held-out points inside the prediction interval, on the last fold.
    public var holdoutCoverage = Double.nan

    public init() {}
}
