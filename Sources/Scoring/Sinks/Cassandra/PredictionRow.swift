import CQL

/// One prediction as the scorer makes it; the unit `PredictionWriter` stores.
public struct PredictionRow: Sendable, Hashable {
    public var eventID: String
    public var stream: String
    public var series: String
    /// Event time, milliseconds since the epoch (UTC).
    public var eventTime: Int64
    public var modelName: String
    public var modelVersion: Int32
    /// In [0, 1].
    public var score: Double
    public var isAnomaly: Bool
    /// Forecasting models only.
    public var forecast: Double?
    public var lower: Double?
    public var upper: Double?

    public init(eventID: String, stream: String, series: String, eventTime: Int64, modelName: String, modelVersion: Int32,
        score: Double, isAnomaly: Bool, forecast: Double? = nil, lower: Double? = nil, upper: Double? = nil) {
        self.eventID = eventID
        self.stream = stream
        self.series = series
        self.eventTime = eventTime
        self.modelName = modelName
        self.modelVersion = modelVersion
        self.score = score
        self.isAnomaly = isAnomaly
        self.forecast = forecast
        self.lower = lower
        self.upper = upper
    }

    /// The UTC day of the event, as days since the epoch (the `day` partition column).
    public var day: Int32 {
        let ms: Int64 = 86_400_000
        let d = eventTime >= 0 ? eventTime / ms : (eventTime - ms + 1) / ms
        return Int32(clamping: d)
    }

    private static func optional(_ v: Double?) -> CQLValue { v.map(CQLValue.double) ?? .null }

    var predictionValues: [CQLValue] {
        [.text(series), .date(day), .timestamp(eventTime), .text(eventID), .text(stream), .text(modelName), .int(modelVersion),
            .double(score), .boolean(isAnomaly), Self.optional(forecast), Self.optional(lower), Self.optional(upper)]
    }

    var anomalyValues: [CQLValue] {
        [.text(stream), .date(day), .timestamp(eventTime), .text(series), .text(eventID), .text(modelName), .int(modelVersion),
            .double(score), Self.optional(forecast), Self.optional(lower), Self.optional(upper)]
    }
}
