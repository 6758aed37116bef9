/// Events of many series, column by column, as the forecaster fits on and scores them.
///
/// The same shape as an archive batch (dictionary-encoded series, one Float64
/// column per field), without depending on the archive module: the CLI and the
/// scorer hand their batch's arrays over as they are.
public struct ForecastColumns: Sendable {
    /// Event time, milliseconds since the Unix epoch, UTC.
    public var time: [Int64]
    /// Series of each row, as an index into `seriesNames`.
    public var seriesCodes: [Int32]
    public var seriesNames: [String]
    public var fieldNames: [String]
    /// `fields[f][row]`; NaN marks a missing value.
    public var fields: [[Double]]

    public init(time: [Int64], seriesCodes: [Int32], seriesNames: [String], fieldNames: [String], fields: [[Double]]) {
        self.time = time
        self.seriesCodes = seriesCodes
        self.seriesNames = seriesNames
        self.fieldNames = fieldNames
        self.fields = fields
    }

    public var count: Int { time.count }

    /// Why these columns cannot be used, or nil: lengths must agree and codes must index `seriesNames`.
    func shapeProblem() -> String? {
        guard fields.count == fieldNames.count else {
            return "\(fields.count) value columns for \(fieldNames.count) field names"
        }
        guard seriesCodes.count == time.count else {
            return "\(seriesCodes.count) series codes for \(time.count) times"
        }
        if let f = fields.firstIndex(where: { $0.count != time.count }) {
            return "field '\(fieldNames[f])' has \(fields[f].count) values for \(time.count) times"
        }
        if let bad = seriesCodes.first(where: { $0 < 0 || Int($0) >= seriesNames.count }) {
            return "series code \(bad) is outside the \(seriesNames.count) series names"
        }
        if Set(fieldNames).count != fieldNames.count { return "field names repeat: \(fieldNames)" }
        return nil
    }
}
