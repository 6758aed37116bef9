/// Collects a forecaster's errors by steps ahead for `HorizonCalibration`: from each origin, the state just
/// before it (level and AR lags, as the filter left them) is run forward as `ForecastScorer.forecastAhead`
/// runs it, and the error at every step of the span is kept, in the target's one-step scales. Every origin and
/// every step count (in `ErrorHistogram`s, so memory does not grow with them): a subsample of steps per bucket
/// left the steps between those sampled to the bucket's average, and the band missed where errors grow fast.
/// Values the one-step filter flags are left out on both sides, as the interval's own calibration leaves them.
struct HorizonSampler {
    let ends: [Int]
    /// [field][bucket] |error| / σ ahead, and [field] one-step |error| / σ.
    var ahead: [[ErrorHistogram]]
    var oneStep: [ErrorHistogram]
    /// For each step up to the span, its bucket.
    private let bucketOf: [Int]
    private var recent: [Double] = []

    init(span: Int, fields: Int) {
        ends = HorizonCalibration.bucketEnds(span: span)
        ahead = .init(repeating: .init(repeating: ErrorHistogram(), count: ends.count), count: fields)
        oneStep = .init(repeating: ErrorHistogram(), count: fields)
        var bucketOf = [Int](repeating: 0, count: (ends.last ?? 1) + 1)
        for b in ends.indices {
            for k in (b == 0 ? 1 : ends[b - 1] + 1)...ends[b] { bucketOf[k] = b }
        }
        self.bucketOf = bucketOf
    }

    /// One target's residuals `r[0..<n]` after `filter` ran over them leaving `errors`, `levels` and `pushed`
    /// with AR coefficients `phi` and scale `sigma`: one-step errors of the cells in `cells`, forecasts from `origins`.
    mutating func add(
        field f: Int, r: UnsafePointer<Double>, n: Int, filter: ResidualFilter, phi: UnsafePointer<Double>, sigma: Double,
        errors: UnsafePointer<Double>, levels: UnsafePointer<Double>, pushed: UnsafePointer<Double>,
        cells: Range<Int>, origins: StrideTo<Int>
    ) {
        let limit = filter.threshold * sigma, lags = filter.lags, span = ends.last ?? 1
        func clean(_ c: Int) -> Bool { errors[c].isFinite && abs(errors[c]) <= limit }
        for c in cells where clean(c) { oneStep[f].add(abs(errors[c]) / sigma) }
        if recent.count < max(1, lags) { recent = [Double](repeating: 0, count: max(1, lags)) }
        for o in origins where o < n && levels[o].isFinite {
            let level = levels[o]
            for k in 0..<lags { recent[k] = o - 1 - k >= 0 ? pushed[o - 1 - k] : 0 }
            for k in 1...min(span, n - o) {
                let projected = filter.predict(level: 0, recent: recent, phi: phi)
                filter.push(projected, into: &recent)
                let c = o + k - 1
                if clean(c) { ahead[f][bucketOf[k]].add(abs(r[c] - level - projected) / sigma) }
            }
        }
    }

    /// Every field's errors together.
    var pooled: (ahead: [ErrorHistogram], oneStep: ErrorHistogram) {
        func sum(_ parts: [ErrorHistogram]) -> ErrorHistogram { parts.reduce(into: ErrorHistogram()) { $0 += $1 } }
        return (ends.indices.map { b in sum(ahead.map { $0[b] }) }, sum(oneStep))
    }

    /// fields × buckets × coverages half-widths in one-step scales: per field where it has enough errors, else
    /// the pooled figure, else the bucket before's; never narrower than the bucket before.
    func halfWidths() -> [Double] {
        let levels = HorizonCalibration.coverages, all = pooled
        var out: [Double] = []
        for f in ahead.indices {
            var previous = [Double](repeating: 0, count: levels.count)
            for b in ends.indices {
                var widths = previous
                if let q = Self.quantiles(b == 0 ? oneStep[f] : ahead[f][b]) ?? Self.quantiles(b == 0 ? all.oneStep : all.ahead[b]) {
                    widths = levels.indices.map { k in min(1e5, max(previous[k], q[k])) }
                }
                out += widths
                previous = widths
            }
        }
        return out
    }

    /// Per bucket, the share of these errors (all fields) inside `coverage`'s band of `calibration`; NaN where too few.
    func coverage(of calibration: HorizonCalibration, at coverage: Double) -> [Double] {
        let all = pooled
        return ends.indices.map { b in
            let errors = b == 0 ? all.oneStep : all.ahead[b]
            guard errors.total >= HorizonCalibration.minimumSamples else { return .nan }
            return errors.share(atMost: calibration.halfWidth(field: 0, step: Int64(ends[b]), coverage: coverage))
        }
    }

    /// The |error| quantiles at `HorizonCalibration.coverages`, or nil with fewer than `minimumSamples`: the
    /// ⌈(N + 1)·c⌉-th smallest of N (the split-conformal quantile).
    static func quantiles(_ errors: ErrorHistogram) -> [Double]? {
        let n = errors.total
        guard n >= HorizonCalibration.minimumSamples else { return nil }
        return HorizonCalibration.coverages.map { c in
            errors.value(rank: min(n - 1, max(0, Int((Double(n + 1) * c).rounded(.up)) - 1)))
        }
    }
}
