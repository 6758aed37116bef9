/// A block of rows read from a CSV or JSON-lines file for offline scoring:
/// the named numeric fields as a row-major matrix, and each row's raw record
/// so the caller can write it back out untouched with columns added.
public struct FeatureTableBatch: Sendable {
    /// Rows in this batch (valid or not), in file order.
    public var rows = 0
    /// `values[row * fields + f]`; NaN where the field was empty, null, NaN or infinite.
    public var values: [Double] = []
    /// The 1-based line each row starts on.
    public var lines: [Int] = []
    /// Rows that could not be read at all, with the reason; their `values` are NaN.
    public var invalid: [Int: String] = [:]
    /// Event times (epoch ms) and series keys, when the reader was asked for them.
    public var times: [Int64] = []
    public var keys: [String] = []
    /// Number of field values that were missing or not finite (NaN in `values`).
    public var missingValues = 0
    /// The raw records, concatenated; row `i` is `recordBytes[recordStarts[i]..<recordStarts[i + 1]]`.
    public var recordBytes: [UInt8] = []
    public var recordStarts: [Int] = [0]

    public init() {}

    /// The raw bytes of row `i` (without its line ending).
    public func record(_ i: Int) -> ArraySlice<UInt8> { recordBytes[recordStarts[i]..<recordStarts[i + 1]] }

    /// Whether row `i` was read (its `values` are meaningful).
    public func isValid(_ i: Int) -> Bool { invalid[i] == nil }
}
