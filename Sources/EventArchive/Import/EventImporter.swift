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
    public static func read(
        path: String, format: ImportFormat, spec: StreamSpec, options: ImportOptions,
        _ body: (EventBatch) throws -> Void
    ) throws -> ImportReport {
        switch format {
        case .csv: try CSVImporter.read(path: path, spec: spec, options: options, body)
        case .jsonl: try JSONLinesImporter.read(path: path, spec: spec, options: options, body)
        }
    }
}
