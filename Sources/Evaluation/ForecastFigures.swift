/// What the rolling-origin bench reports for one method on one set (or on the mean over sets).
public struct ForecastFigures: Sendable, Equatable {
    public var mase: Double
    /// Per coverage of `DayForecast.coverages`: over the whole day, and per horizon bucket of `ForecastTally`.
    public var coverage: [Double]
    public var bucketCoverage: [[Double]]
    /// Per coverage, the bucket furthest from nominal, as coverage − nominal.
    public var worstBucket: [Double]
    public var cpuPerSeries: Double
    public var series: Int
    /// (series, origin) pairs measured.
    public var origins: Int
    public var failedOrigins: Int

    public init(_ tally: ForecastTally) {
        let c = DayForecast.coverages.indices
        mase = tally.mase
        coverage = c.map { tally.coverage($0) }
        bucketCoverage = c.map { k in ForecastTally.bucketHours.indices.map { tally.coverage(k, bucket: $0) } }
        worstBucket = c.map { tally.worstBucket($0) }
        cpuPerSeries = tally.cpuPerSeries
        series = tally.series
        origins = tally.origins
        failedOrigins = tally.failedOrigins
    }

    /// The mean of each figure over `sets` (the sets that measured something; counts are summed); nil when none did.
    public init?(meanOf sets: [ForecastFigures]) {
        let measured = sets.filter { $0.origins > 0 }
        guard let first = measured.first else { return nil }
        func mean(_ f: (ForecastFigures) -> Double) -> Double {
            let v = measured.map(f).filter { $0.isFinite }
            return v.isEmpty ? .nan : v.reduce(0, +) / Double(v.count)
        }
        let buckets = first.bucketCoverage.indices.map { k in first.bucketCoverage[k].indices.map { b in mean { $0.bucketCoverage[k][b] } } }
        mase = mean { $0.mase }
        coverage = first.coverage.indices.map { k in mean { $0.coverage[k] } }
        bucketCoverage = buckets
        worstBucket = buckets.indices.map { k in
            buckets[k].map { $0 - DayForecast.coverages[k] }.filter { $0.isFinite }.max { abs($0) < abs($1) } ?? .nan
        }
        cpuPerSeries = mean { $0.cpuPerSeries }
        series = measured.map(\.series).reduce(0, +)
        origins = measured.map(\.origins).reduce(0, +)
        failedOrigins = measured.map(\.failedOrigins).reduce(0, +)
    }
}
