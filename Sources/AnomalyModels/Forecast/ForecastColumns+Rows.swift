extension ForecastColumns {
    /// The rows at `indices`, in that order.
    public func rows(at indices: [Int]) -> ForecastColumns {
        ForecastColumns(
            time: indices.map { time[$0] }, seriesCodes: indices.map { seriesCodes[$0] }, seriesNames: seriesNames,
            fieldNames: fieldNames, fields: fields.map { column in indices.map { column[$0] } })
    }

    /// The rows whose time passes `keep`, in row order.
    public func rows(_ keep: (Int64) -> Bool) -> ForecastColumns { rows(at: time.indices.filter { keep(time[$0]) }) }
}
