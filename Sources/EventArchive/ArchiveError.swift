import Foundation

/// Why an archive operation failed. Messages name the stream, field or file
/// concerned so the CLI can print them as they are.
public enum ArchiveError: Error, CustomStringConvertible, Sendable {
    /// `<root>/<stream>` does not exist.
    case unknownStream(stream: String, root: URL)
    /// A requested field is not stored in the archive.
    case unknownField(field: String, available: [String])
    /// A batch (or a part) does not have the shape the stream spec describes.
    case specMismatch(String)
    /// A part file is unreadable or inconsistent.
    case corruptPart(url: URL, reason: String)
    /// An event time outside `EventTime.validRange`.
    case timeOutOfRange(Int64)
    /// An option value that cannot work (for example `maxRowsPerPart: 0`).
    case invalidOptions(String)
    /// `append` after `close`.
    case writerClosed(stream: String)
    /// A file-system operation failed.
    case fileSystem(url: URL, reason: String)

    public var description: String {
        switch self {
        case .unknownStream(let stream, let root):
            "no archived stream '\(stream)' under \(root.path)"
        case .unknownField(let field, let available):
            "unknown field '\(field)' (archived fields: \(available.joined(separator: ", ")))"
        case .specMismatch(let message):
            "spec mismatch: \(message)"
        case .corruptPart(let url, let reason):
            "corrupt part \(url.path): \(reason)"
        case .timeOutOfRange(let ms):
            "event time \(ms) ms is outside 1970-01-01...9999-12-31"
        case .invalidOptions(let message):
            "invalid archive options: \(message)"
        case .writerClosed(let stream):
            "the archive writer of stream '\(stream)' is already closed"
        case .fileSystem(let url, let reason):
            "\(url.path): \(reason)"
        }
    }
}
