/// What an import did: rows accepted, rows rejected, and the first rejections.
public struct ImportReport: Sendable {
    /// How many errors a report keeps; a systematically bad file would otherwise
    /// hold one error per row in memory.
    public static let maxErrors = 100

    public var rows: Int
    public var rejected: Int
    /// The first `maxErrors` rejections, in file order; `rejected` counts them all.
    public var errors: [RowError]
    /// What was imported but looks wrong (times in an unlikely unit), one line each.
    public var warnings: [String] = []

    public init(rows: Int = 0, rejected: Int = 0, errors: [RowError] = []) {
        self.rows = rows
        self.rejected = rejected
        self.errors = errors
    }
}
