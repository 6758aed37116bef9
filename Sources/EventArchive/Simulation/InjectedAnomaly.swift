/// One anomaly the simulator put in the data: the ground truth detectors are scored against.
public struct InjectedAnomaly: Sendable, Codable, Equatable {
    /// The anomaly kinds the simulator injects.
    public static let kinds = ["spike", "dip", "level_shift", "sag", "dropout"]

    public let series: String
    /// Epoch milliseconds of the anomalous reading (for a level shift, the first shifted
    /// reading; for a dropout, the first missing one).
    public let time: Int64
    /// `spike`, `dip`, `level_shift` and `sag` (a voltage dip), or `dropout` (readings missing).
    public let kind: String
    /// The affected field, or `*` for a dropout, where every field is missing.
    public let field: String

    public init(series: String, time: Int64, kind: String, field: String) {
        self.series = series
        self.time = time
        self.kind = kind
        self.field = field
    }
}
