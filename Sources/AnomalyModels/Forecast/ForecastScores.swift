/// What happened to one value of a scored batch.
public enum ForecastStatus: UInt8, Sendable {
    case scored = 0
    /// The value was NaN: the forecast is given, there is no score and the state is unchanged.
    case missingValue = 1
    /// The series was not in the training data: nothing is forecast (see `ForecastScores.unknownSeries`).
    case unknownSeries = 2
    /// The series was trained, but this field had no value in its training window.
    case untrained = 3
    /// The event time is outside ±2^53 ms, so not an epoch-millisecond time: nothing is forecast.
    case invalidTime = 4
}

/// One-step-ahead forecasts and scores of a batch, column by column: `[field][row]`,
/// fields in the model's order. Reused across batches, so scoring allocates nothing
/// per event once the columns have grown to the batch size.
public struct ForecastScores: Sendable {
    public var fieldNames: [String] = []
    public var forecast: [[Double]] = []
    /// The prediction interval at the model's coverage.
    public var lower: [[Double]] = []
    public var upper: [[Double]] = []
    /// 1 - the tail probability of the one-step error: the share of the target's own training errors that were
    /// smaller (see `TailCalibration`), so one threshold means the same for every series.
    public var score: [[Double]] = []
    /// The tail probability itself (score = 1 - tail), which keeps its precision where the score rounds to 1.
    public var tail: [[Double]] = []
    /// The one-step error in robust scales of the target (signed; transformed units): how far off the forecast was.
    public var sigmas: [[Double]] = []
    /// True when the tail probability is below the model's alarm rate (score > 1 - alarm_rate).
    public var anomaly: [[Bool]] = []
    public var status: [[ForecastStatus]] = []
    /// The forecast and its scale (the robust sigma in force) in the model's transformed units, for bands at
    /// other coverages (`ForecastScorer.bands`).
    public internal(set) var center: [[Double]] = []
    public internal(set) var scale: [[Double]] = []
    /// Names of the batch's series the model does not know, once each.
    public var unknownSeries: [String] = []

    public init() {}

    mutating func reset(fields: [String], rows: Int) {
        if fieldNames != fields {
            fieldNames = fields
            let f = fields.count
            forecast = Array(repeating: [], count: f); lower = forecast; upper = forecast; score = forecast
            tail = forecast; sigmas = forecast; center = forecast; scale = forecast
            anomaly = Array(repeating: [], count: f)
            status = Array(repeating: [], count: f)
        }
        for f in fields.indices {
            forecast[f].resize(rows, .nan); lower[f].resize(rows, .nan); upper[f].resize(rows, .nan)
            score[f].resize(rows, .nan); tail[f].resize(rows, .nan); sigmas[f].resize(rows, .nan); anomaly[f].resize(rows, false); status[f].resize(rows, .scored)
            center[f].resize(rows, .nan); scale[f].resize(rows, .nan)
        }
        unknownSeries.removeAll(keepingCapacity: true)
    }
}

extension Array {
    /// Grows or shrinks to `count` elements, keeping capacity.
    fileprivate mutating func resize(_ count: Int, _ fill: Element) {
        if self.count > count {
            removeLast(self.count - count)
        } else if self.count < count {
            append(contentsOf: repeatElement(fill, count: count - self.count))
        }
    }
}
