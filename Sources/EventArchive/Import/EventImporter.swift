import Basics
import Foundation

/// Reads CSV and JSON-lines files into columnar `EventBatch`es, validating each
/// row against a `StreamSpec`.
///
/// Rules, shared by both formats:
/// - the time field is RFC 3339 or epoch milliseconds (`EventTime.parse`; a JSON
///   number is epoch milliseconds); times outside `EventTime.validRange` are rejected;
/// - the key and id fields are any scalar, kept as text (the key is `""` when the spec has none);
/// - every spec field must be a finite number: a JSON number or numeric string, a decimal CSV cell.
///   JSON `null`, an absent member or an empty CSV cell is a missing field;
/// - a bad row is rejected with its 1-based line (the CSV header is line 1) and a message
///   naming the field, and the import goes on, unless `options.strict`.
///
/// Files are read in large chunks and parsed as bytes, so memory stays bounded by
/// `options.batchRows` and a few megabytes whatever the file size.
public enum EventImporter {
    /// Streams the file in batches of at most `options.batchRows` rows; bad rows are
    /// reported (not thrown) unless strict, in which case the first bad row throws its `RowError`.
    ///
    /// Throws `ImportFileError` when the file cannot be read, and a `RowError` at
    /// line 1 when a CSV header lacks a column the spec names (in any mode: no row could be read).
    /// Errors thrown by `body` are passed on unchanged.
    ///
    /// `progress` hears the bytes of the file read so far (`update` only: the caller names the task,
    /// as it alone knows whether this is a check or the import, and sizes it with `inputSize`).
    public static func read(
        path: String, format: ImportFormat, spec: StreamSpec, options: ImportOptions,
        progress: (any ProgressReporter)? = nil, _ body: (EventBatch) throws -> Void
    ) throws -> ImportReport {
        switch format {
        case .csv: try CSVImporter.read(path: path, spec: spec, options: options, progress: progress, body)
        case .jsonl: try JSONLinesImporter.read(path: path, spec: spec, options: options, progress: progress, body)
        }
    }

    /// The bytes an import of `path` will read, when that is known beforehand: the size of a regular
    /// file; nil for a pipe, a device or a file that is not there.
    public static func inputSize(_ path: String) -> Int? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            attributes[.type] as? FileAttributeType == .typeRegular
        else { return nil }
        return (attributes[.size] as? NSNumber)?.intValue
    }
}
