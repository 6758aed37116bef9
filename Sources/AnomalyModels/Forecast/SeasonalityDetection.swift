/// The seasonal periods a training window really shows, from the
/// autocorrelation of its targets on the cadence grid.
///
/// A period is a lag where the mean autocorrelation over an even sample of
/// targets peaks after having dipped (a cycle, not the slow decay of a trend
/// or a level shift), is clearly positive, and fits in the window at least
/// `minimumCycles` times. A peak within 5% of an hour, a day or a week is
/// snapped to it, so calendar seasonality lines up with the clock. At most
/// two periods: the strongest, and a weekly one on top of a daily one when
/// the week adds a pattern of its own.
struct SeasonalityDetection {
    struct Found: Equatable {
        var periodsMs: [Int64]
        /// Why, in plain words: the peaks found, or why there is none.
        var reason: String
    }

    static let hour: Int64 = 3_600_000
    static let day: Int64 = 86_400_000
    static let week: Int64 = 604_800_000

    /// Autocorrelation a peak must reach to count as a season.
    var minimumPeak = 0.3
    /// How far the autocorrelation must have dropped below the peak on the way to it.
    var minimumDip = 0.15
    var minimumCycles = 2.0
    var sampleTargets = 32

    func detect(_ grid: TargetGrid, cadenceMs: Int64) -> Found {
        let n = grid.cells
        let maxLag = min(Int(Double(n) / minimumCycles), Int(Self.week / cadenceMs) + Int(Self.week / cadenceMs) / 20, 50_000)
        guard maxLag >= 4 else {
            return Found(periodsMs: [], reason: "\(n) cells hold no cycle twice: no seasonal period")
        }
        let lags = Self.candidateLags(maxLag: maxLag, cadenceMs: cadenceMs)
        let acf = meanAutocorrelation(grid, lags: lags)
        let peaks = Self.peaks(lags: lags, acf: acf, minimumPeak: minimumPeak, minimumDip: minimumDip)
        // A cycle's multiples peak about as high as the cycle itself: take the shortest peak close to the highest.
        let highest = peaks.map(\.value).max() ?? 0
        guard var best = peaks.first(where: { $0.value >= highest - 0.1 }) else {
            return Found(periodsMs: [], reason: "no autocorrelation peak of \(minimumPeak) or more up to \(maxLag) cells: not seasonal")
        }
        if best.lag > 96 {
            // The candidates are 1% apart there: look at every lag around the peak.
            let around = Array(max(2, best.lag * 98 / 100)...min(maxLag, best.lag * 102 / 100 + 1))
            let fine = meanAutocorrelation(grid, lags: around)
            if let i = fine.indices.max(by: { fine[$0] < fine[$1] }) { best = (around[i], fine[i]) }
        }
        var first = Self.snap(Int64(best.lag) * cadenceMs)
        if first != Int64(best.lag) * cadenceMs, Double(first) * minimumCycles > Double(Int64(n) * cadenceMs) {
            first = Int64(best.lag) * cadenceMs
        }
        var periods = [first]
        var reason = "autocorrelation \(Self.format(best.value)) at \(Self.describe(first))"
        if first == Self.day, Double(Self.week) * minimumCycles <= Double(Int64(n) * cadenceMs) {
            let weekLag = Int(Self.week / cadenceMs)
            let daily = (1...6).map { d in Self.autocorrelation(at: d * Int(Self.day / cadenceMs), lags: lags, acf: acf) }
            let weekly = Self.autocorrelation(at: weekLag, lags: lags, acf: acf)
            if weekly > (daily.max() ?? 1) + 0.05 {
                periods.append(Self.week)
                reason += ", and \(Self.format(weekly)) at 7 d against at most \(Self.format(daily.max() ?? 0)) at 1-6 d"
            }
        }
        return Found(periodsMs: periods, reason: reason)
    }

    /// Every lag up to 96 cells, then 1% steps, plus the calendar periods and their neighbours.
    static func candidateLags(maxLag: Int, cadenceMs: Int64) -> [Int] {
        var lags = Set(1...min(96, maxLag))
        var l = 96.0
        while Int(l) <= maxLag {
            lags.insert(Int(l))
            l *= 1.01
        }
        for p in [hour, day, week] where p % cadenceMs == 0 {
            let c = Int(p / cadenceMs)
            for d in -1...1 where c + d >= 1 && c + d <= maxLag { lags.insert(c + d) }
        }
        return lags.sorted()
    }

    /// Local maxima of the autocorrelation (over the candidate lags) that dipped at least `minimumDip` first.
    static func peaks(lags: [Int], acf: [Double], minimumPeak: Double, minimumDip: Double) -> [(lag: Int, value: Double)] {
        var out: [(lag: Int, value: Double)] = []
        var lowest = Double.infinity
        for i in lags.indices {
            lowest = min(lowest, acf[i])
            guard i > 0, i + 1 < lags.count, lags[i] >= 2 else { continue }
            // A plateau counts once, at its first lag.
            guard acf[i] > acf[i - 1], acf[i] >= acf[i + 1], acf[i] >= minimumPeak, acf[i] - lowest >= minimumDip else { continue }
            out.append((lags[i], acf[i]))
        }
        return out
    }

    /// The mean over sampled targets of the autocorrelation at each lag (pairs with a missing cell are skipped).
    func meanAutocorrelation(_ grid: TargetGrid, lags: [Int]) -> [Double] {
        let n = grid.cells
        let step = max(1, grid.targets / sampleTargets)
        var sum = [Double](repeating: 0, count: lags.count)
        var used = 0
        var x = [Double](repeating: .nan, count: n)
        for t in stride(from: 0, to: grid.targets, by: step) {
            var count = 0, mean = 0.0
            for c in 0..<n {
                let v = grid.values.storage[t * n + c]
                x[c] = v
                if v.isFinite { count += 1; mean += v }
            }
            guard count >= 8 else { continue }
            mean /= Double(count)
            var variance = 0.0
            for c in 0..<n where x[c].isFinite {
                x[c] -= mean
                variance += x[c] * x[c]
            }
            variance /= Double(count)
            guard variance > 0 else { continue }
            used += 1
            x.withUnsafeBufferPointer { v in
                for (i, lag) in lags.enumerated() {
                    var s = 0.0, k = 0
                    for c in lag..<n {
                        let a = v[c], b = v[c - lag]
                        if a.isFinite && b.isFinite { s += a * b; k += 1 }
                    }
                    if k > 0 { sum[i] += s / Double(k) / variance }
                }
            }
        }
        return used == 0 ? sum : sum.map { $0 / Double(used) }
    }

    static func autocorrelation(at lag: Int, lags: [Int], acf: [Double]) -> Double {
        guard let i = lags.firstIndex(where: { $0 >= lag }) else { return 0 }
        return acf[i]
    }

    /// An hour, a day or a week when `ms` is within 5% of it, else `ms`.
    static func snap(_ ms: Int64) -> Int64 {
        for p in [hour, day, week] where abs(Double(ms - p)) <= 0.05 * Double(p) { return p }
        return ms
    }

    static func describe(_ ms: Int64) -> String { SeasonalForecaster.duration(ms) }

    static func format(_ v: Double) -> String { "\((v * 100).rounded() / 100)" }
}
