/// One line to the forecast bench's child Python: a series on its cadence grid and the origins to forecast
/// from (see `ForecastReferenceScript`).
struct ForecastReferenceRequest: Encodable {
    /// The raw float64 file of the series' cells.
    var values: String
    /// Cell indices (into `values`) of the origins.
    var origins: [Int]
    /// Cells to forecast from each origin (a day), and the day and week in cells.
    var steps: Int
    var day: Int
    var week: Int
    /// Cells before an origin each method fits on.
    var history: Int
    /// Where the forecasts go.
    var output: String
}
