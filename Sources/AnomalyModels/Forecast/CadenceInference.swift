/// The stream's cadence as its events show it: the median spacing between
/// consecutive events of a series, over every series. Gaps (missing events)
/// and bursts (duplicates, retries) move a median little, so a 30-minute
/// series with holes is still read as 30 minutes.
enum CadenceInference {
    /// The median positive spacing in ms, or nil when no series has two events at distinct times.
    /// Looks at most at `limit` spacings, spread over the whole batch.
    static func cadence(_ data: ForecastColumns, limit: Int = 200_000) -> Int64? {
        var order = Array(data.time.indices)
        order.sort { (data.seriesCodes[$0], data.time[$0]) < (data.seriesCodes[$1], data.time[$1]) }
        var gaps: [Int64] = []
        gaps.reserveCapacity(min(limit, data.count))
        let stride = max(1, data.count / limit)
        var i = 1
        while i < order.count {
            let a = order[i - 1], b = order[i]
            if data.seriesCodes[a] == data.seriesCodes[b] {
                let d = data.time[b] - data.time[a]
                if d > 0 { gaps.append(d) }
            }
            i += stride
        }
        guard !gaps.isEmpty else { return nil }
        gaps.sort()
        return gaps[gaps.count / 2]
    }
}
