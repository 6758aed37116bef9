import Foundation
import AnomalyModels
import EventArchive

/// What one model says about each event of a batch.
public struct PredictionColumns: Sendable {
    /// In [0, 1]; higher is more anomalous. NaN when the model could not score the event.
    public var score: [Double]
    public var anomaly: [Bool]
    /// For forecasting models: the expected value and its interval (nil otherwise).
    public var forecast: [Double]?
    public var lower: [Double]?
    public var upper: [Double]?
    /// Set by `IncidentTracker`: the time of the first event of the incident a flagged event belongs to
    /// (`noIncident` for an unflagged one), whether the event opens it, and the incident's highest score so far.
    public var incidentStart: [Int64]?
    public var incidentOpens: [Bool]?
    public var incidentPeak: [Double]?
    /// For models whose score is 1 - a tail probability: that probability, which keeps its precision where the
    /// score rounds to 1 (ranking by it never ties two far-out events that the score cannot tell apart).
    public var tail: [Double]?
    /// For forecasting models: which field drove each event's score and how.
    public var explanation: Explanation?
    /// For the isolation forest: which inputs isolated each flagged event.
    public var drivers: Drivers?

    /// Per event: the index (in `fieldNames`, the model's fields) of the field that drove the score (-1 for
    /// none), its value and its one-step error in robust scales (signed); and every field's forecast, band and
    /// error, `[field][row]`, for outputs that show them all.
    public struct Explanation: Sendable {
        public var fieldNames: [String]
        public var field: [Int32]
        public var actual: [Double]
        public var sigmas: [Double]
        public var fieldForecast: [[Double]]
        public var fieldLower: [[Double]]
        public var fieldUpper: [[Double]]
        public var fieldSigmas: [[Double]]

        public init(
            fieldNames: [String], field: [Int32], actual: [Double], sigmas: [Double], fieldForecast: [[Double]],
            fieldLower: [[Double]], fieldUpper: [[Double]], fieldSigmas: [[Double]]
        ) {
            self.fieldNames = fieldNames
            self.field = field
            self.actual = actual
            self.sigmas = sigmas
            self.fieldForecast = fieldForecast
            self.fieldLower = fieldLower
            self.fieldUpper = fieldUpper
            self.fieldSigmas = fieldSigmas
        }

        /// The name of event `i`'s driving field, or nil.
        public func fieldName(_ i: Int) -> String? { field[i] >= 0 ? fieldNames[Int(field[i])] : nil }

        /// Forgets what it said about event `i` (a row that could not be read).
        public mutating func clear(_ i: Int) {
            field[i] = -1
            actual[i] = .nan
            sigmas[i] = .nan
            for f in fieldNames.indices {
                fieldForecast[f][i] = .nan; fieldLower[f][i] = .nan; fieldUpper[f][i] = .nan; fieldSigmas[f][i] = .nan
            }
        }
    }

    /// The ranking key of event `i`: -log10 of its tail probability where the model gives one, else its score.
    public func rank(_ i: Int) -> Double {
        guard let tail, !tail[i].isNaN else { return score[i] }
        return -log10(max(tail[i], .leastNormalMagnitude))
    }

    public static let noIncident = Int64.min

    public init(score: [Double], anomaly: [Bool], forecast: [Double]? = nil, lower: [Double]? = nil, upper: [Double]? = nil) {
        self.score = score
        self.anomaly = anomaly
        self.forecast = forecast
        self.lower = lower
        self.upper = upper
    }

    /// `n` events, none scored yet; with forecast columns when `forecasts`.
    public static func unscored(_ n: Int, forecasts: Bool) -> PredictionColumns {
        let nan = [Double](repeating: .nan, count: n)
        return PredictionColumns(
            score: nan, anomaly: [Bool](repeating: false, count: n), forecast: forecasts ? nan : nil,
            lower: forecasts ? nan : nil, upper: forecasts ? nan : nil)
    }
}

/// Mutable per-series memory a model keeps between batches (recent values for
/// a forecaster). Owned by the one task that scores, never shared.
public protocol ScoringState: AnyObject {}

/// A loaded model as every scoring path uses it: `serve` batch by batch,
/// offline `score` file by file, the backtest on a held-out slice. Instances
/// are immutable and shared; what changes as events arrive lives in a
/// `ScoringState` the caller owns.
public protocol ScoringModel: Sendable {
    /// The stream fields the model reads, in its order.
    var featureNames: [String] { get }
    /// Whether predictions carry a forecast and its band.
    var forecasts: Bool { get }
    /// Whether predictions of flagged events carry `drivers`.
    var attributes: Bool { get }
    /// How much recent history (ms) a fresh state wants to warm up on; 0 for none.
    var warmUpSpan: Int64 { get }
    /// Fresh per-series state, warmed on `history` (the stream's recent events) when given; nil for a stateless model.
    func makeState(warmingUpOn history: EventBatch?) -> ScoringState?
    /// Scores every event of `events`; `columns[j]` is the batch column of `featureNames[j]`.
    func score(_ events: EventBatch, columns: [Int], state: ScoringState?) -> PredictionColumns
}

extension ScoringModel {
    public var attributes: Bool { false }

    /// The batch column of each of the model's features; nil when the batch lacks one.
    public func columns(in events: EventBatch) -> [Int]? {
        var out: [Int] = []
        for name in featureNames {
            guard let c = events.fieldNames.firstIndex(of: name) else { return nil }
            out.append(c)
        }
        return out
    }
}
