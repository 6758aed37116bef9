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
    /// The same per group of origins (all fields together), for `heldOutCoverage`: group 0 calibrates, 1 checks.
    var groupAhead: [[ErrorHistogram]]
    var groupOneStep: [ErrorHistogram]
    /// For each step up to the span, its bucket.
    private let bucketOf: [Int]
    private var recent: [Double] = []
    private var counts: [Int] = [], weights: [Double] = [], values: [Double] = []

    init(span: Int, fields: Int, groups: Int = 0) {
        ends = HorizonCalibration.bucketEnds(span: span)
        ahead = .init(repeating: .init(repeating: ErrorHistogram(), count: ends.count), count: fields)
        oneStep = .init(repeating: ErrorHistogram(), count: fields)
        groupAhead = .init(repeating: .init(repeating: ErrorHistogram(), count: ends.count), count: groups)
        groupOneStep = .init(repeating: ErrorHistogram(), count: groups)
        var bucketOf = [Int](repeating: 0, count: (ends.last ?? 1) + 1)
        for b in ends.indices {
            for k in (b == 0 ? 1 : ends[b - 1] + 1)...ends[b] { bucketOf[k] = b }
        }
        self.bucketOf = bucketOf
    }

    /// One target's residuals `r[0..<n]` after `filter` ran over them leaving `errors`, `levels` and `pushed`
    /// with AR coefficients `phi` and scale `sigma`: one-step errors of the cells in `cells`, forecasts from `origins`,
    /// into field `f` and (when given) group `g`.
    mutating func add(
        field f: Int, group g: Int? = nil, r: UnsafePointer<Double>, n: Int, filter: ResidualFilter, phi: UnsafePointer<Double>, sigma: Double,
        errors: UnsafePointer<Double>, levels: UnsafePointer<Double>, pushed: UnsafePointer<Double>,
        cells: Range<Int>, origins: StrideTo<Int>
    ) {
        let limit = filter.threshold * sigma, lags = filter.lags, span = ends.last ?? 1
        func clean(_ c: Int) -> Bool { errors[c].isFinite && abs(errors[c]) <= limit }
        for c in cells where clean(c) {
            oneStep[f].add(abs(errors[c]) / sigma)
            if let g { groupOneStep[g].add(abs(errors[c]) / sigma) }
        }
        // The AR part k steps ahead is linear in the lags at the origin: its weights, once per call, so each step
        // costs `lags` products; and each cell's residual, NaN where it is not clean, so a step tests one value.
        if weights.count < span * lags { weights = [Double](repeating: 0, count: span * lags) }
        if recent.count < max(1, lags) { recent = [Double](repeating: 0, count: max(1, lags)) }
        for j in 0..<lags {
            for i in 0..<lags { recent[i] = i == j ? 1 : 0 }
            for k in 0..<span {
                let projected = filter.predict(level: 0, recent: recent, phi: phi)
                filter.push(projected, into: &recent)
                weights[k * lags + j] = projected
            }
        }
        if values.count < n { values = [Double](repeating: .nan, count: n) }
        for c in 0..<n { values[c] = clean(c) ? r[c] : .nan }
        // Counted into one flat buffer (buckets × bins), then added to the field's and the group's histograms.
        let bins = ErrorHistogram.bins, scale = 1 / sigma
        if counts.count != ends.count * bins { counts = [Int](repeating: 0, count: ends.count * bins) }
        let offsets = bucketOf.map { $0 * bins }
        counts.withUnsafeMutableBufferPointer { into in
            let into = into.baseAddress!
            for i in 0..<(ends.count * bins) { into[i] = 0 }
            weights.withUnsafeBufferPointer { w in
                values.withUnsafeBufferPointer { v in
                    offsets.withUnsafeBufferPointer { offset in
                        recent.withUnsafeMutableBufferPointer { start in
                            for o in origins where o < n && levels[o].isFinite {
                                let level = levels[o]
                                for j in 0..<lags { start[j] = o - 1 - j >= 0 ? pushed[o - 1 - j] : 0 }
                                for k in 1...min(span, n - o) {
                                    var e = v[o + k - 1] - level
                                    guard e.isFinite else { continue }
                                    for j in 0..<lags { e -= w[(k - 1) * lags + j] * start[j] }
                                    into[offset[k] + ErrorHistogram.bin(abs(e) * scale)] += 1
                                }
                            }
                        }
                    }
                }
            }
        }
        counts.withUnsafeBufferPointer { all in
            for b in ends.indices {
                let part = UnsafeBufferPointer(rebasing: all[(b * bins)..<((b + 1) * bins)])
                ahead[f][b].add(counts: part)
                if let g { groupAhead[g][b].add(counts: part) }
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
    func halfWidths() -> [Double] { Self.halfWidths(ahead: ahead, oneStep: oneStep, pooled: pooled) }

    private static func halfWidths(
        ahead: [[ErrorHistogram]], oneStep: [ErrorHistogram], pooled all: (ahead: [ErrorHistogram], oneStep: ErrorHistogram)
    ) -> [Double] {
        let levels = HorizonCalibration.coverages
        var out: [Double] = []
        for f in ahead.indices {
            var previous = [Double](repeating: 0, count: levels.count)
            for b in ahead[f].indices {
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

    /// Per bucket, the share of group 1's errors inside `coverage`'s band as calibrated on group 0's alone.
    func heldOutCoverage(at coverage: Double) -> [Double] {
        guard groupAhead.count == 2 else { return ends.map { _ in .nan } }
        let widths = Self.halfWidths(
            ahead: [groupAhead[0]], oneStep: [groupOneStep[0]], pooled: (groupAhead[0], groupOneStep[0]))
        let calibration = HorizonCalibration(
            bucketEnds: ends, halfWidths: widths, holdoutCoverage: ends.map { _ in .nan }, fields: 1)
        return ends.indices.map { b in
            let errors = b == 0 ? groupOneStep[1] : groupAhead[1][b]
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
