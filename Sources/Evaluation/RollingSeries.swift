/// One series of the rolling-origin forecast bench: its set, its name, its events in time order, and per
/// event whether it is a labelled anomaly.
public struct RollingSeries: Sendable, Equatable {
    public var set: String
    /// The file's name, with `/<column>` for a column of a multivariate file.
    public var name: String
    /// Milliseconds since the Unix epoch, strictly increasing.
    public var time: [Int64]
    /// NaN marks a missing value.
    public var values: [Double]
    public var labels: [Bool]

    public var count: Int { time.count }

    /// Whether every finite value is the same (or none is): nothing to forecast, and no scale to measure by.
    var isConstant: Bool {
        guard let first = values.first(where: { $0.isFinite }) else { return true }
        return values.allSatisfy { !$0.isFinite || $0 == first }
    }
}
