/// The text formats `EventImporter` reads.
public enum ImportFormat: String, Sendable {
    case csv, jsonl

    /// The format implied by a file's extension (`.csv`; `.jsonl`, `.ndjson`, `.json`),
    /// so the CLI needs `--format` only for files named otherwise.
    public static func guess(path: String) -> ImportFormat? {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        switch path[path.index(after: dot)...].lowercased() {
        case "csv": return .csv
        case "jsonl", "ndjson", "json": return .jsonl
        default: return nil
        }
    }
}
