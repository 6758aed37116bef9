/// The rolling-origin bench on one set: what was evaluated, what was skipped and why, and each method's figures.
public struct RollingSetResult: Sendable {
    public var set: String
    /// Series in the set, and those evaluated (at most `maxSeries` of the usable ones, spread over them).
    public var candidates = 0
    public var evaluated: [String] = []
    /// Series that could not be evaluated, with the reason.
    public var skipped: [(series: String, reason: RollingSkip)] = []
    /// Per method (`RollingForecastBench.methods`), its figures; only Forewarn without references.
    public var figures: [(method: String, figures: ForecastFigures)] = []
    /// Per method, how often each model was chosen (`periods 1 d, 7 d`; `season 288, ANA`...), most frequent first.
    public var models: [(method: String, counts: [(model: String, origins: Int)])] = []
    /// The set could not be read at all (a missing folder, a bad file).
    public var failure: String?
    public var cadencesMs: Set<Int64> = []

    public init(set: String) { self.set = set }
}
