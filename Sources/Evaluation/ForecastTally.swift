/// One method's running figures over a set's series and origins: MASE terms, band hits per coverage and
/// horizon bucket, CPU, and the origins it failed at.
public struct ForecastTally: Sendable {
    /// Hours ahead at which the horizon buckets start; the last runs to the end of the day.
    public static let bucketHours = [0, 1, 3, 6, 12]

    private(set) var maseSum = 0.0
    private(set) var maseCount = 0
    /// `[coverage][bucket]`.
    private(set) var inside: [[Int]] = DayForecast.coverages.map { _ in bucketHours.map { _ in 0 } }
    private(set) var points = bucketHours.map { _ in 0 }
    public internal(set) var cpuSeconds = 0.0
    public internal(set) var series = 0
    public internal(set) var failedOrigins = 0
    /// The first few failures, in plain words.
    public internal(set) var failures: [String] = []

    public init() {}

    /// Adds one origin's `forecast` of the day against `truth` (NaN: not measured; `excluded`: a labelled
    /// anomaly, not measured either), its MAE scaled by `scale` (the history's seasonal-naive MAE).
    mutating func add(_ forecast: DayForecast, truth: ArraySlice<Double>, excluded: ArraySlice<Bool>, scale: Double, cadenceMs: Int64) {
        var error = 0.0, n = 0
        for (k, (y, skip)) in zip(truth, excluded).enumerated() where y.isFinite && !skip {
            let f = forecast.mean[k]
            guard f.isFinite else { continue }
            error += abs(y - f)
            n += 1
            let hours = Double(Int64(k) * cadenceMs) / 3_600_000
            let b = Self.bucketHours.lastIndex { Double($0) <= hours } ?? 0
            points[b] += 1
            for c in DayForecast.coverages.indices where forecast.lower[c][k] <= y && y <= forecast.upper[c][k] {
                inside[c][b] += 1
            }
        }
        guard n > 0, scale > 0, scale.isFinite else { return }
        maseSum += error / Double(n) / scale
        maseCount += 1
    }

    /// MASE averaged over the (series, origin) pairs measured.
    public var mase: Double { maseCount > 0 ? maseSum / Double(maseCount) : .nan }
    /// Origins (of all series) that counted towards the MASE.
    public var origins: Int { maseCount }

    /// The share of measured cells inside the band at `DayForecast.coverages[c]`, over the whole day.
    public func coverage(_ c: Int) -> Double {
        let n = points.reduce(0, +)
        return n > 0 ? Double(inside[c].reduce(0, +)) / Double(n) : .nan
    }

    /// The same per horizon bucket.
    public func coverage(_ c: Int, bucket b: Int) -> Double {
        points[b] > 0 ? Double(inside[c][b]) / Double(points[b]) : .nan
    }

    /// The bucket coverage furthest from nominal at `DayForecast.coverages[c]`, as coverage − nominal.
    public func worstBucket(_ c: Int) -> Double {
        let gaps = Self.bucketHours.indices.map { coverage(c, bucket: $0) - DayForecast.coverages[c] }.filter { $0.isFinite }
        return gaps.max { abs($0) < abs($1) } ?? .nan
    }

    /// CPU seconds per series evaluated (every origin's fits and forecasts of it).
    public var cpuPerSeries: Double { series > 0 ? cpuSeconds / Double(series) : .nan }

    /// Bucket labels: `0-1`, `1-3`, ..., `12-24` (hours ahead).
    public static var bucketLabels: [String] {
        bucketHours.indices.map { "\(bucketHours[$0])-\($0 + 1 < bucketHours.count ? bucketHours[$0 + 1] : 24)" }
    }

    /// Records that the method failed at an origin.
    mutating func fail(_ reason: String) {
        failedOrigins += 1
        if failures.count < 3 { failures.append(reason) }
    }
}
