/// How `EventImporter` treats bad rows and how much it holds in memory at once.
public struct ImportOptions: Sendable {
    /// Throw the first bad row's `RowError` instead of reporting it and going on.
    public var strict = false
    /// Most rows per batch handed to the caller; bounds memory on big files.
    public var batchRows = 65_536
    /// Longest accepted line (record) in bytes; protects memory from a file with
    /// no newlines or an unterminated CSV quote.
    public var maxLineBytes = 1 << 20

    public init() {}
}
