/// How events falling into the same cadence cell become one value before fitting.
public enum ForecastAggregation: String, Sendable, CaseIterable, Codable {
    /// Average of the cell's values (gauges: temperatures, voltages).
    case mean
    /// Total of the cell's values (counters per interval: kWh, requests).
    case sum
    /// The value with the latest time in the cell (states that overwrite each other).
    case last
    /// Number of events in the cell, whatever their values (event rates).
    case count
}

/// How values are transformed before the regression.
public enum ForecastTransform: String, Sendable, CaseIterable, Codable {
    case none
    /// log(y + c) with c = 1% of the target's median: multiplicative seasonality and noise become additive.
    case log
    /// `log` for targets whose training values are all ≥ 0 with a positive median, `none` otherwise.
    case auto
}
