import Basics

/// Imports CSV with a header line; see `EventImporter.read` for the rules.
enum CSVImporter {
    /// Which columns of the header hold the spec's time, key, id and fields.
    struct Columns {
        var count = 0
        var time = 0
        var key: Int?
        var id: Int?
        var fields: [Int] = []
        var times: TimeReader
    }

    static func read(
        path: String, spec: StreamSpec, options: ImportOptions, progress: (any ProgressReporter)?,
        _ body: (EventBatch) throws -> Void
    ) throws -> ImportReport {
        var reader = try RecordReader(path: path, quoteAware: true, maxBytes: options.maxLineBytes, progress: progress)
        var rows = RowAssembler(spec: spec, file: path, options: options)
        var cells = CSVCells()
        var columns: Columns?
        while let record = try reader.next() {
            switch record {
            case .tooLong(let line):
                guard columns != nil else {
                    throw RowError(file: path, line: line, message: "the header is longer than \(options.maxLineBytes) bytes")
                }
                try rows.reject(line: line, "line is longer than \(options.maxLineBytes) bytes")
            case .unterminated(let line):
                guard columns != nil else {
                    throw RowError(file: path, line: line, message: "the header has an unterminated quoted cell")
                }
                try rows.reject(line: line, "unterminated quoted cell (the file ends inside quotes)")
            case .bytes(let line, let range):
                try reader.buffer.withUnsafeBufferPointer { all in
                    let b = UnsafeBufferPointer(rebasing: all[range])
                    if b.isEmpty || (b.count == 1 && b[0] == 13) { return }  // blank lines carry no row
                    if let known = columns {
                        let parsed: (time: Int64, key: String?, id: String?)
                        do throws(RowAssembler.Rejection) {
                            parsed = try row(b, columns: known, cells: &cells, values: &rows.values, spec: spec)
                        } catch {
                            try rows.reject(line: line, error.message)
                            return
                        }
                        try rows.append(time: parsed.time, series: parsed.key ?? "", id: parsed.id, body)
                    } else {
                        columns = try header(b, line: line, path: path, spec: spec, cells: &cells)
                    }
                }
            }
        }
        guard columns != nil else { throw RowError(file: path, line: 1, message: "the file is empty: a CSV header is required") }
        return try rows.finish(body)
    }

    /// Maps the header's columns to the spec; names every missing column at once.
    static func header(
        _ b: UnsafeBufferPointer<UInt8>, line: Int, path: String, spec: StreamSpec, cells: inout CSVCells
    ) throws -> Columns {
        if let column = cells.split(b) {
            throw RowError(file: path, line: line, message: "malformed quoted cell in header column \(column)")
        }
        var names: [String] = []
        for i in 0..<cells.count {
            names.append(cells.text(cells[i], in: b).trimmingCharacters(in: .whitespaces))
        }
        var index: [String: Int] = [:]
        for (i, name) in names.enumerated() where index[name] == nil { index[name] = i }
        let wanted = [spec.time] + [spec.key, spec.id].compactMap { $0 } + spec.fields
        let missing = wanted.filter { index[$0] == nil }
        guard missing.isEmpty else {
            let list = missing.map { "'\($0)'" }.joined(separator: ", ")
            let noun = missing.count == 1 ? "column" : "columns"
            throw RowError(
                file: path, line: line,
                message: "the header is missing the \(noun) \(list) named by the spec (found: \(names.joined(separator: ", ")))")
        }
        for name in wanted where names.filter({ $0 == name }).count > 1 {
            throw RowError(file: path, line: line, message: "the header names column '\(name)' more than once")
        }
        return Columns(
            count: names.count, time: index[spec.time] ?? 0, key: spec.key.flatMap { index[$0] },
            id: spec.id.flatMap { index[$0] }, fields: spec.fields.map { index[$0] ?? 0 }, times: TimeReader(spec: spec))
    }

    /// Parses one data record (its numbers into `values`), or throws why it is rejected.
    static func row(
        _ b: UnsafeBufferPointer<UInt8>, columns: Columns, cells: inout CSVCells, values: inout [Double],
        spec: StreamSpec
    ) throws(RowAssembler.Rejection) -> (time: Int64, key: String?, id: String?) {
        if let column = cells.split(b) {
            throw RowAssembler.Rejection(message: "malformed quoted cell in column \(column)")
        }
        guard cells.count == columns.count else {
            throw RowAssembler.Rejection(message: "expected \(columns.count) cells, found \(cells.count)")
        }
        let timeText = UnsafeBufferPointer(rebasing: b[cells[columns.time].range])
        let time = try RowAssembler.time(columns.times.read(timeText), field: spec.time, text: timeText, format: spec.timeFormat)
        let key = try text(columns.key, name: spec.key, b, cells)
        let id = try text(columns.id, name: spec.id, b, cells)
        for (f, column) in columns.fields.enumerated() {
            let t = UnsafeBufferPointer(rebasing: b[cells[column].range])
            values[f] = try RowAssembler.number(FieldText.number(t), field: spec.fields[f], text: t)
        }
        return (time, key, id)
    }

    /// The key or id text; an unquoted empty cell is missing, a quoted `""` is the empty text.
    private static func text(_ column: Int?, name: String?, _ b: UnsafeBufferPointer<UInt8>, _ cells: CSVCells)
        throws(RowAssembler.Rejection) -> String?
    {
        guard let column, let name else { return nil }
        let cell = cells[column]
        if cell.range.isEmpty, !cell.quoted { throw RowAssembler.Rejection(message: "missing field '\(name)'") }
        return try cells.withBytes(cell, in: b) { (t) throws(RowAssembler.Rejection) -> String in
            try RowAssembler.text(FieldText.text(t), field: name)
        }
    }
}
