/// The part of an import both formats share: appending good rows to batches of
/// bounded size, counting and keeping rejections, and the wording of row errors.
struct RowAssembler {
    /// A rejected row's message; thrown inside a row's parsing to stop at the first problem.
    struct Rejection: Error {
        let message: String
    }

    let spec: StreamSpec
    let file: String
    let strict: Bool
    let batchRows: Int
    private(set) var report = ImportReport()
    private var builder: EventBatchBuilder
    /// One row's numeric values, reused for every row.
    var values: [Double]
    private let times: TimeReader
    /// Times that a wrong unit would give (`TimeReader.isImplausible`): how many, and the first.
    private var implausible = 0
    private var firstImplausible: (row: Int, ms: Int64)?
    /// Per series, its latest time so far: rows earlier than it are out of order, equal to it repeat it.
    private var latest: [String: Int64] = [:]
    private var outOfOrder = 0
    private var repeated = 0
    private var firstRepeat: (series: String, ms: Int64)?

    init(spec: StreamSpec, file: String, options: ImportOptions) {
        self.spec = spec
        self.file = file
        strict = options.strict
        batchRows = max(1, options.batchRows)
        builder = EventBatchBuilder(fieldNames: spec.fields, withEventIDs: spec.id != nil)
        values = [Double](repeating: 0, count: spec.fields.count)
        times = TimeReader(spec: spec)
    }

    /// Appends the row whose numbers are in `values`, handing over a full batch.
    mutating func append(time: Int64, series: String, id: String?, _ body: (EventBatch) throws -> Void) throws {
        values.withUnsafeBufferPointer { builder.append(time: time, series: series, values: $0, eventID: id) }
        report.rows += 1
        if let last = latest[series] {
            if time < last {
                outOfOrder += 1
            } else if time == last {
                repeated += 1
                if firstRepeat == nil { firstRepeat = (series, time) }
            }
            if time > last { latest[series] = time }
        } else {
            latest[series] = time
        }
        if times.isImplausible(time) {
            implausible += 1
            if firstImplausible == nil { firstImplausible = (report.rows, time) }
        }
        if builder.count >= batchRows { try body(builder.take()) }
    }

    /// Records a bad row, or throws it in strict mode.
    mutating func reject(line: Int, _ message: String) throws {
        let error = RowError(file: file, line: line, message: message)
        if strict { throw error }
        report.rejected += 1
        if report.errors.count < ImportReport.maxErrors { report.errors.append(error) }
    }

    /// Hands over the last, partial batch and returns the report.
    mutating func finish(_ body: (EventBatch) throws -> Void) throws -> ImportReport {
        if builder.count > 0 { try body(builder.take()) }
        if outOfOrder > 0 {
            report.warnings.append(
                "\(file): \(outOfOrder) rows come before an earlier row of their series in time: each hour's part is archived "
                    + "sorted by time, but the file is out of order for anything else that reads it (sort it by time)")
        }
        if let first = firstRepeat {
            report.warnings.append(
                "\(file): \(repeated) rows repeat their series' latest time (the first: series '\(first.series)' at "
                    + "\(EventTime.format(first.ms))): each is archived and scored; training aggregates them per cadence cell "
                    + "(the forecaster's aggregation, mean by default); give each event an id to store a re-sent one once")
        }
        if let first = firstImplausible {
            report.warnings.append(
                "\(file): \(implausible) times of field '\(spec.time)' read as epoch milliseconds fall before 1973-03-03 (the first, "
                    + "row \(first.row) of the good ones: \(first.ms), \(EventTime.format(first.ms))): if they are epoch seconds, "
                    + "set time_format: epoch_s in the stream spec")
        }
        return report
    }

    static func number(_ result: FieldText.Number, field: String, text: UnsafeBufferPointer<UInt8>) throws(Rejection)
        -> Double
    {
        switch result {
        case .value(let v): return v
        case .missing: throw Rejection(message: "missing field '\(field)'")
        case .notFinite: throw Rejection(message: "field '\(field)' is not finite")
        case .invalid: throw Rejection(message: "field '\(field)' is not a number: \(FieldText.quoted(text))")
        }
    }

    static func text(_ result: FieldText.Text, field: String) throws(Rejection) -> String {
        switch result {
        case .value(let text): return text
        case .invalidUTF8: throw Rejection(message: "field '\(field)' is not valid UTF-8")
        case .tooLong: throw Rejection(message: "field '\(field)' is longer than \(FieldText.maxTextBytes) bytes")
        }
    }

    static func time(_ result: FieldText.Time, field: String, text: UnsafeBufferPointer<UInt8>, format: TimeFormat = .auto)
        throws(Rejection) -> Int64
    {
        let expected = format == .auto ? "RFC 3339 or epoch milliseconds" : "time_format \(format.text)"
        switch result {
        case .value(let v): return v
        case .missing: throw Rejection(message: "missing field '\(field)'")
        case .outOfRange:
            throw Rejection(message: "time \(FieldText.quoted(text)) is out of range (field '\(field)', 1970 to 9999)")
        case .dateOnly:
            throw Rejection(
                message: "field '\(field)' is a date without a time of day: \(FieldText.quoted(text)) "
                    + "(use RFC 3339 with a time and an offset, or epoch milliseconds)")
        case .invalid:
            throw Rejection(
                message: "field '\(field)' is not a time: \(FieldText.quoted(text)) (expected \(expected))")
        }
    }
}
