import Foundation

/// Reads named numeric fields from a CSV file (with a header) or a JSON-lines
/// file in batches, keeping every record's raw bytes.
///
/// Scoring must answer every input row, so a bad row is not skipped: it is
/// returned with its reason in `FeatureTableBatch.invalid`. Missing and
/// non-finite values are NaN, which models treat as missing. Blank lines are
/// not rows. Memory is bounded by the batch size, not the file.
public struct FeatureTableReader {
    public let path: String
    public let format: ImportFormat
    public let fields: [String]
    /// Optional time and series-key fields, read into `times` and `keys` (for forecast models).
    public let timeField: String?
    public let keyField: String?
    /// How the time field's text reads (the stream's `time_format` and `timezone`).
    public let timeReader: TimeReader
    /// The CSV header's raw bytes (nil for JSON lines).
    public private(set) var header: [UInt8]?
    /// The CSV header's column names (empty for JSON lines).
    public private(set) var columnNames: [String] = []

    private var reader: RecordReader
    private var cells = CSVCells()
    private var fieldColumns: [Int] = []
    private var timeColumn: Int?
    private var keyColumn: Int?
    private let fieldKeys: [[UInt8]]
    private var slots: [JSONLineScanner.Value?]

    /// Opens `path`; for CSV reads the header and checks that it names every field.
    public init(
        path: String, format: ImportFormat, fields: [String], timeField: String? = nil, keyField: String? = nil,
        timeReader: TimeReader = .auto, maxRecordBytes: Int = 1 << 20
    ) throws {
        guard !fields.isEmpty else { throw ImportFileError(path: path, message: "no fields to read") }
        self.path = path
        self.format = format
        self.fields = fields
        self.timeField = timeField
        self.keyField = keyField
        self.timeReader = timeReader
        fieldKeys = (fields + [timeField, keyField].compactMap { $0 }).map { Array($0.utf8) }
        slots = Array(repeating: nil, count: fieldKeys.count)
        reader = try RecordReader(path: path, quoteAware: format == .csv, maxBytes: maxRecordBytes)
        if format == .csv { try readHeader() }
    }

    private mutating func readHeader() throws {
        var headerBytes: [UInt8]?
        var headerLine = 1
        while headerBytes == nil, let record = try reader.next() {
            guard case .bytes(let line, let range) = record else {
                throw ImportFileError(path: path, message: "the header line is malformed or too long")
            }
            guard !range.isEmpty else { continue }
            headerBytes = Array(reader.buffer[range])
            headerLine = line
        }
        guard let headerBytes else { throw ImportFileError(path: path, message: "the file is empty: a CSV header was expected") }
        let names = try headerBytes.withUnsafeBufferPointer { b -> [String] in
            if let column = cells.split(b) {
                throw RowError(file: path, line: headerLine, message: "malformed quoted cell in header column \(column)")
            }
            return (0..<cells.count).map { cells.text(cells[$0], in: b).trimmingCharacters(in: .whitespaces) }
        }
        let missing = (fields + [timeField, keyField].compactMap { $0 }).filter { !names.contains($0) }
        guard missing.isEmpty else {
            throw RowError(
                file: path, line: headerLine,
                message: "the header has no column \(missing.map { "'\($0)'" }.joined(separator: ", ")) "
                    + "(the model needs \(fields.joined(separator: ", ")); found: \(names.joined(separator: ", ")))")
        }
        header = headerBytes
        columnNames = names
        fieldColumns = fields.map { f in names.firstIndex(of: f) ?? 0 }
        timeColumn = timeField.flatMap { names.firstIndex(of: $0) }
        keyColumn = keyField.flatMap { names.firstIndex(of: $0) }
    }

    /// The next batch of at most `maxRows` rows, or nil at the end of the file.
    public mutating func next(maxRows: Int = 65_536) throws -> FeatureTableBatch? {
        var batch = FeatureTableBatch()
        let d = fields.count
        batch.values.reserveCapacity(maxRows * d)
        while batch.rows < maxRows, let record = try reader.next() {
            let row = batch.rows
            switch record {
            case .tooLong(let line):
                add(&batch, line: line, bytes: [], invalid: "the record is longer than the limit and was not read")
            case .unterminated(let line):
                add(&batch, line: line, bytes: [], invalid: "the file ends inside a quoted cell")
            case .bytes(let line, let range):
                if range.isEmpty { continue }
                batch.lines.append(line)
                batch.rows += 1
                batch.recordBytes.append(contentsOf: reader.buffer[range])
                batch.recordStarts.append(batch.recordBytes.count)
                let problem = reader.buffer.withUnsafeBufferPointer { all in
                    parse(UnsafeBufferPointer(rebasing: all[range]), into: &batch)
                }
                if let problem {
                    batch.values.removeLast(batch.values.count - row * d)
                    batch.values.append(contentsOf: repeatElement(.nan, count: d))
                    batch.invalid[row] = "line \(line): \(problem)"
                }
                if timeField != nil, batch.times.count <= row { batch.times.append(0) }
                if keyField != nil, batch.keys.count <= row { batch.keys.append("") }
            }
        }
        return batch.rows == 0 ? nil : batch
    }

    private func add(_ batch: inout FeatureTableBatch, line: Int, bytes: [UInt8], invalid: String) {
        batch.invalid[batch.rows] = "line \(line): \(invalid)"
        if timeField != nil { batch.times.append(0) }
        if keyField != nil { batch.keys.append("") }
        batch.lines.append(line)
        batch.rows += 1
        batch.recordStarts.append(batch.recordBytes.count)
        batch.values.append(contentsOf: repeatElement(.nan, count: fields.count))
    }

    /// Appends the record's field values to `batch.values`; returns why the record is unreadable, if it is.
    private mutating func parse(_ b: UnsafeBufferPointer<UInt8>, into batch: inout FeatureTableBatch) -> String? {
        switch format {
        case .csv:
            if let column = cells.split(b) { return "malformed quoted cell in column \(column)" }
            guard cells.count == columnNames.count else {
                return "expected \(columnNames.count) cells as in the header, found \(cells.count)"
            }
            for (f, column) in fieldColumns.enumerated() {
                let text = UnsafeBufferPointer(rebasing: b[cells[column].range])
                if let problem = append(FieldText.number(text), field: f, text: text, into: &batch) { return problem }
            }
            if let timeColumn, let timeField {
                let text = UnsafeBufferPointer(rebasing: b[cells[timeColumn].range])
                guard case .value(let t) = timeReader.read(text) else {
                    return "field '\(timeField)' is not a time: \(FieldText.quoted(text))"
                }
                batch.times.append(t)
            }
            if let keyColumn { batch.keys.append(cells.text(cells[keyColumn], in: b)) }
        case .jsonl:
            for i in slots.indices { slots[i] = nil }
            var scanner = JSONLineScanner(b)
            do { try scanner.scanObject(names: fieldKeys, into: &slots) } catch { return error.message }
            for f in fields.indices {
                switch slots[f] {
                case .number(let r):
                    let text = UnsafeBufferPointer(rebasing: b[r])
                    if let problem = append(FieldText.number(text), field: f, text: text, into: &batch) { return problem }
                case .null, nil:
                    batch.values.append(.nan)
                    batch.missingValues += 1
                case .string(let r, _):
                    // Numbers sent as strings ("3.5") are common in exported data.
                    let text = UnsafeBufferPointer(rebasing: b[r])
                    if let problem = append(FieldText.number(text), field: f, text: text, into: &batch) { return problem }
                case .bool, .composite:
                    return "field '\(fields[f])' is not a number"
                }
            }
            var k = fields.count
            if let timeField {
                switch slots[k] {
                case .number(let r), .string(let r, false):
                    let text = UnsafeBufferPointer(rebasing: b[r])
                    guard case .value(let t) = timeReader.read(text) else {
                        return "field '\(timeField)' is not a time: \(FieldText.quoted(text))"
                    }
                    batch.times.append(t)
                default: return "field '\(timeField)' is missing or not a time"
                }
                k += 1
            }
            if let keyField {
                switch slots[k] {
                case .string(let r, let escaped):
                    let raw = UnsafeBufferPointer(rebasing: b[r])
                    batch.keys.append(escaped ? JSONText.decode(raw) : String(decoding: raw, as: UTF8.self))
                case .number(let r): batch.keys.append(String(decoding: UnsafeBufferPointer(rebasing: b[r]), as: UTF8.self))
                default: return "field '\(keyField)' is missing or not a scalar"
                }
            }
        }
        return nil
    }

    private func append(
        _ number: FieldText.Number, field f: Int, text: UnsafeBufferPointer<UInt8>, into batch: inout FeatureTableBatch
    ) -> String? {
        switch number {
        case .value(let v): batch.values.append(v)
        case .missing, .notFinite:
            batch.values.append(.nan)
            batch.missingValues += 1
        case .invalid: return "field '\(fields[f])' is not a number: \(FieldText.quoted(text))"
        }
        return nil
    }
}
