import LinearAlgebra

/// The one-step-ahead part of the forecast, on a target's residuals from its
/// seasonal regression: a local level plus autoregressive terms on the recent
/// deviations from it.
///
/// The level is an exponential smoothing of the residual itself (it moves by
/// `levelRate` × (residual − level)), not of the one-step error: moved by the
/// error, which the AR terms already shrink, the level would chase what the
/// lags explain and the two would fight, so a forecast ahead (where the lags
/// decay to the level) started from a level that lagged the residuals.
///
/// Training, validation and scoring all run this same recursion, so the
/// scale the intervals use is measured on exactly the errors scoring makes.
/// Anomalies do not feed the level or the lags (they would drag the forecast
/// towards them), except that `confirm` large errors in a row on the same side
/// (beyond half the threshold: a shift of the level seldom lands every value
/// beyond the threshold itself) are taken as a level shift and the level moves
/// to them.
struct ResidualFilter {
    var lags: Int
    var levelRate: Double
    var threshold: Double
    var confirm: Int32

    /// One target's recursion state.
    struct State {
        var level = 0.0
        var run: Int32 = 0
        var runSum = 0.0
    }

    @inline(__always)
    func predict(level: Double, recent: UnsafePointer<Double>, phi: UnsafePointer<Double>) -> Double {
        var p = level
        for k in 0..<lags { p += phi[k] * recent[k] }
        return p
    }

    /// Takes residual `r` after the prediction `predicted`; returns whether it was an anomaly.
    @inline(__always)
    func update(
        _ r: Double, predicted: Double, sigma: Double, state: inout State, recent: UnsafeMutablePointer<Double>
    ) -> Bool {
        let e = r - predicted
        let anomalous = abs(e) > threshold * sigma
        if abs(e) > 0.5 * threshold * sigma {
            if state.run != 0, (state.run > 0) == (e > 0) {
                state.run += e > 0 ? 1 : -1
                state.runSum += e
            } else {
                state.run = e > 0 ? 1 : -1
                state.runSum = e
            }
        } else {
            state.run = 0
            state.runSum = 0
        }
        var pushed = 0.0
        if abs(state.run) >= confirm {
            state.level += state.runSum / Double(abs(state.run))
            state.run = 0
            state.runSum = 0
        } else if !anomalous {
            pushed = r - state.level
            state.level += levelRate * pushed
        }
        push(pushed, into: recent)
        return anomalous
    }

    /// Shifts `value` in as the most recent deviation.
    @inline(__always)
    func push(_ value: Double, into recent: UnsafeMutablePointer<Double>) {
        guard lags > 0 else { return }
        var k = lags - 1
        while k > 0 { recent[k] = recent[k - 1]; k -= 1 }
        recent[0] = value
    }

    /// What a gap of `missing` cells does: the deviations decay to the level.
    @inline(__always)
    func skip(_ missing: Int64, recent: UnsafeMutablePointer<Double>) {
        for _ in 0..<min(Int64(lags), max(0, missing)) { push(0, into: recent) }
    }

    /// One target fitted on its residuals `r[0..<fitCells]` (NaN where missing), then
    /// run over all of `r`: returns its robust scale, sets its AR coefficients, and
    /// leaves the one-step errors in `errors` (NaN where missing; when `n` is
    /// `fitCells`, those of the run that measured the scale). With `levelDeviations`,
    /// the same run leaves there each cell's residual minus the level before it, and
    /// with `levels` that level itself and with `pushed` the deviation the cell left
    /// in the AR lags (what a forecast ahead made just after it starts from).
    func fit(
        _ r: UnsafePointer<Double>, cells n: Int, fitCells: Int, errors: UnsafeMutablePointer<Double>,
        phi: UnsafeMutablePointer<Double>, scratch: UnsafeMutablePointer<Double>, floor: Double,
        levelDeviations: UnsafeMutablePointer<Double>? = nil, levels: UnsafeMutablePointer<Double>? = nil,
        pushed: UnsafeMutablePointer<Double>? = nil
    ) -> Double {
        var sigma = max(floor, RobustScale.sigma(r, fitCells, work: scratch, stride: 4))
        if !sigma.isFinite { sigma = floor }
        for k in 0..<lags { phi[k] = 0 }
        var recent = [Double](repeating: 0, count: max(1, lags))
        if lags > 0 {
            // Deviations from the level with no AR terms, for Yule-Walker.
            _ = run(r, cells: fitCells, sigma: sigma, phi: phi, recent: &recent, errors: errors, deviations: true)
            fitAutoregression(errors, cells: fitCells, phi: phi)
            for k in 0..<lags { recent[k] = 0 }
        }
        _ = run(
            r, cells: fitCells, sigma: sigma, phi: phi, recent: &recent, errors: errors, deviations: false,
            levelDeviations: n > fitCells ? nil : levelDeviations, levels: n > fitCells ? nil : levels,
            pushed: n > fitCells ? nil : pushed)
        let measured = RobustScale.sigma(errors, fitCells, work: scratch)
        if measured.isFinite { sigma = max(floor, measured) }
        guard n > fitCells else { return sigma }
        for k in 0..<lags { recent[k] = 0 }
        _ = run(r, cells: n, sigma: sigma, phi: phi, recent: &recent, errors: errors, deviations: false, levelDeviations: levelDeviations,
            levels: levels, pushed: pushed)
        return sigma
    }

    /// The recursion over `r[0..<n]` from a fresh state, writing one-step errors
    /// (or, with `deviations`, each cell's deviation from the level, 0 at anomalies).
    private func run(
        _ r: UnsafePointer<Double>, cells n: Int, sigma: Double, phi: UnsafePointer<Double>, recent: inout [Double],
        errors: UnsafeMutablePointer<Double>, deviations: Bool, levelDeviations: UnsafeMutablePointer<Double>? = nil,
        levels: UnsafeMutablePointer<Double>? = nil, pushed: UnsafeMutablePointer<Double>? = nil
    ) -> State {
        var state = State()
        recent.withUnsafeMutableBufferPointer { buf in
            let rec = buf.baseAddress!
            for c in 0..<n {
                guard r[c].isFinite else {
                    errors[c] = .nan
                    levelDeviations?[c] = .nan
                    levels?[c] = state.level
                    pushed?[c] = 0
                    skip(1, recent: rec)
                    continue
                }
                let p = predict(level: state.level, recent: rec, phi: phi)
                let level = state.level
                levelDeviations?[c] = r[c] - level
                levels?[c] = level
                let anomalous = update(r[c], predicted: p, sigma: sigma, state: &state, recent: rec)
                pushed?[c] = lags > 0 ? rec[0] : 0
                errors[c] = deviations ? (anomalous ? 0 : r[c] - level) : r[c] - p
            }
        }
        return state
    }

    /// Yule-Walker estimate of `lags` AR coefficients from deviations `u` (NaN counts as 0).
    private func fitAutoregression(_ u: UnsafePointer<Double>, cells n: Int, phi: UnsafeMutablePointer<Double>) {
        var gamma = [Double](repeating: 0, count: lags + 1)
        for k in 0...lags {
            var s = 0.0
            for t in k..<max(k, n) where u[t].isFinite && u[t - k].isFinite { s += u[t] * u[t - k] }
            gamma[k] = s / Double(max(1, n))
        }
        guard gamma[0] > 0 else { return }
        var toeplitz = Matrix(rows: lags, columns: lags)
        var rhs = Matrix(rows: lags, columns: 1)
        for i in 0..<lags {
            rhs[i, 0] = gamma[i + 1]
            for j in 0..<lags { toeplitz[i, j] = gamma[abs(i - j)] }
            toeplitz[i, i] += 1e-6 * gamma[0]
        }
        guard let solution = try? LAPACK.solvePositiveDefinite(toeplitz, rhs) else { return }
        for k in 0..<lags { phi[k] = solution[k, 0] }
    }
}
