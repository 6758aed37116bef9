import Foundation

/// What `ArchiveReader.read` delivered.
public struct ReadReport: Sendable {
    /// Rows handed to the callback (after time filtering).
    public var rows: Int
    /// Parts that were read (including parts that had no rows in the window).
    public var parts: Int
    /// Parts skipped because they were unreadable or inconsistent.
    public var problems: [ArchiveProblem]
    /// Every part read, in reading order, with the rows it delivered (its lineage).
    public var partRows: [(part: URL, rows: Int)] = []

    public init(rows: Int = 0, parts: Int = 0, problems: [ArchiveProblem] = []) {
        self.rows = rows
        self.parts = parts
        self.problems = problems
    }
}
