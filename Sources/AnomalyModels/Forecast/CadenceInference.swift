/// The stream's cadence as its events show it: the median spacing between
/// consecutive events of a series, over every series. Gaps (missing events)
/// and bursts (duplicates, retries) move a median little, so a 30-minute
/// series with holes is still read as 30 minutes.
enum CadenceInference {
    /// The median positive spacing in ms, or nil when no series has two events at distinct times.
    /// Looks at the events of an even sample of the series holding about `limit` of them (all series when
    /// they hold fewer), so a fit of millions of events does not sort them all to read one number.
    static func cadence(_ data: ForecastColumns, limit: Int = 200_000) -> Int64? {
        let seriesCount = data.seriesNames.count
        guard data.count > 1, seriesCount > 0 else { return nil }
        let every = max(1, data.count / max(1, limit))
        var times = [[Int64]](repeating: [], count: (seriesCount + every - 1) / every)
        for row in 0..<data.count {
            let code = Int(data.seriesCodes[row])
            if code >= 0, code < seriesCount, code % every == 0 { times[code / every].append(data.time[row]) }
        }
        var gaps: [Int64] = []
        for var series in times where series.count > 1 {
            if zip(series, series.dropFirst()).contains(where: { $0 > $1 }) { series.sort() }
            for (a, b) in zip(series, series.dropFirst()) where b > a { gaps.append(b - a) }
        }
        // A sample of series with too few events (every sampled one seen once) falls back to all of them.
        if gaps.isEmpty, every > 1 { return cadence(data, limit: data.count) }
        guard !gaps.isEmpty else { return nil }
        gaps.sort()
        return gaps[gaps.count / 2]
    }
}
