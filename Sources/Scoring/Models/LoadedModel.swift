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

    public init(score: [Double], anomaly: [Bool], forecast: [Double]? = nil, lower: [Double]? = nil, upper: [Double]? = nil) {
        self.score = score
        self.anomaly = anomaly
        self.forecast = forecast
        self.lower = lower
        self.upper = upper
    }
}

/// Mutable per-series memory a model keeps between batches (recent values for
/// a forecaster). Owned by the one pipeline task that scores, never shared.
public protocol ScoringState: AnyObject {}

/// One registered model version, loaded, validated and ready to score a stream.
/// Instances are immutable; a promotion loads a new one beside the old.
public protocol LoadedModel: Sendable {
    var name: String { get }
    var version: Int { get }
    var kind: String { get }
    /// The stream fields the model reads, in its order.
    var featureNames: [String] { get }
    /// Fresh per-series state, or nil for a model that needs none.
    func makeState() -> ScoringState?
    /// Scores every event of `events`; `columns[j]` is the batch column of `featureNames[j]`.
    func score(_ events: EventBatch, columns: [Int], state: ScoringState?) -> PredictionColumns
}

/// An isolation forest as the scorer uses it: stateless, one pass per batch.
struct IsolationForestModel: LoadedModel {
    let name: String
    let version: Int
    let forest: IsolationForest

    var kind: String { "isolation-forest" }
    var featureNames: [String] { forest.featureNames }

    func makeState() -> ScoringState? { nil }

    func score(_ events: EventBatch, columns: [Int], state: ScoringState?) -> PredictionColumns {
        let d = columns.count, n = events.count
        var values = [Double](repeating: 0, count: n * d)
        values.withUnsafeMutableBufferPointer { out in
            for (j, c) in columns.enumerated() {
                events.fields[c].withUnsafeBufferPointer { column in
                    for i in 0..<n { out[i * d + j] = column[i] }
                }
            }
        }
        let scores = forest.score(FeatureMatrix(rows: n, columns: d, values: values))
        return PredictionColumns(score: scores, anomaly: forest.flags(scores))
    }
}
