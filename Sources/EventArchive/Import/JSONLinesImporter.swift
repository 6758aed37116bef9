import Basics

/// Imports JSON lines (one object per line); see `EventImporter.read` for the rules.
enum JSONLinesImporter {
    /// Where each name the spec uses lands in the scanner's slots.
    struct Slots {
        var names: [[UInt8]] = []
        var time = 0
        var key: Int?
        var id: Int?
        var fields: [Int] = []
        let times: TimeReader

        init(spec: StreamSpec) {
            times = TimeReader(spec: spec)
            func add(_ name: String) -> Int {
                names.append(Array(name.utf8))
                return names.count - 1
            }
            time = add(spec.time)
            key = spec.key.map(add)
            id = spec.id.map(add)
            fields = spec.fields.map(add)
        }
    }

    static func read(
        path: String, spec: StreamSpec, options: ImportOptions, progress: (any ProgressReporter)?,
        _ body: (EventBatch) throws -> Void
    ) throws -> ImportReport {
        var reader = try RecordReader(path: path, quoteAware: false, maxBytes: options.maxLineBytes, progress: progress)
        var rows = RowAssembler(spec: spec, file: path, options: options)
        let slots = Slots(spec: spec)
        var values = [JSONLineScanner.Value?](repeating: nil, count: slots.names.count)
        while let record = try reader.next() {
            switch record {
            case .tooLong(let line):
                try rows.reject(line: line, "line is longer than \(options.maxLineBytes) bytes")
            case .unterminated(let line):
                try rows.reject(line: line, "unterminated line")  // only CSV reports this; kept for completeness
            case .bytes(let line, let range):
                try reader.buffer.withUnsafeBufferPointer { all in
                    let b = UnsafeBufferPointer(rebasing: all[range])
                    if b.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { return }  // blank lines carry no row
                    let parsed: (time: Int64, key: String?, id: String?)
                    do throws(RowAssembler.Rejection) {
                        parsed = try decode(b, slots: slots, values: &values, numbers: &rows.values, spec: spec)
                    } catch {
                        try rows.reject(line: line, error.message)
                        return
                    }
                    try rows.append(time: parsed.time, series: parsed.key ?? "", id: parsed.id, body)
                }
            }
        }
        return try rows.finish(body)
    }

    /// Scans one JSON object and interprets it (numbers into `numbers`), or throws why it is rejected.
    static func decode(
        _ b: UnsafeBufferPointer<UInt8>, slots: Slots, values: inout [JSONLineScanner.Value?], numbers: inout [Double],
        spec: StreamSpec
    ) throws(RowAssembler.Rejection) -> (time: Int64, key: String?, id: String?) {
        for k in values.indices { values[k] = nil }
        var scanner = JSONLineScanner(b)
        do throws(JSONLineScanner.Failure) {
            try scanner.scanObject(names: slots.names, into: &values)
        } catch {
            throw RowAssembler.Rejection(message: error.message)
        }
        return try row(b, values: values, slots: slots, numbers: &numbers, spec: spec)
    }

    /// Interprets the located values (numbers into `numbers`), or throws why the row is rejected.
    static func row(
        _ b: UnsafeBufferPointer<UInt8>, values: [JSONLineScanner.Value?], slots: Slots, numbers: inout [Double],
        spec: StreamSpec
    ) throws(RowAssembler.Rejection) -> (time: Int64, key: String?, id: String?) {
        let time: Int64
        switch values[slots.time] {
        case .string(let r, let escaped):
            time = try withText(b, r, escaped) { t throws(RowAssembler.Rejection) in
                try RowAssembler.time(slots.times.read(t), field: spec.time, text: t, format: spec.timeFormat)
            }
        case .number(let r):
            let t = UnsafeBufferPointer(rebasing: b[r])
            time = try RowAssembler.time(slots.times.read(t), field: spec.time, text: t, format: spec.timeFormat)
        case nil, .null:
            throw RowAssembler.Rejection(message: "missing field '\(spec.time)'")
        case .bool, .composite:
            throw RowAssembler.Rejection(
                message: "field '\(spec.time)' must be an RFC 3339 string or epoch milliseconds")
        }
        let key = try scalarText(slots.key.map { values[$0] }, name: spec.key, isID: false, b)
        let id = try scalarText(slots.id.map { values[$0] }, name: spec.id, isID: true, b)
        for (f, slot) in slots.fields.enumerated() {
            let name = spec.fields[f]
            switch values[slot] {
            case .number(let r):
                let t = UnsafeBufferPointer(rebasing: b[r])
                numbers[f] = try RowAssembler.number(FieldText.number(t), field: name, text: t)
            case .string(let r, let escaped):
                numbers[f] = try withText(b, r, escaped) { t throws(RowAssembler.Rejection) in
                    try RowAssembler.number(FieldText.number(t), field: name, text: t)
                }
            case nil, .null:
                throw RowAssembler.Rejection(message: "missing field '\(name)'")
            case .bool:
                throw RowAssembler.Rejection(message: "field '\(name)' is not a number: a boolean")
            case .composite:
                throw RowAssembler.Rejection(message: "field '\(name)' is not a number: an object or array")
            }
        }
        return (time, key, id)
    }

    /// A key or id: a JSON string of valid UTF-8 (escapes included) and bounded length, taken as it is.
    /// A boolean is refused (it would put every event in one of two series, or under one of two ids),
    /// and so is a number for the id (`17` and `17.0` are one number but two ids); a key may be a
    /// number, as written.
    private static func scalarText(
        _ value: JSONLineScanner.Value??, name: String?, isID: Bool, _ b: UnsafeBufferPointer<UInt8>
    ) throws(RowAssembler.Rejection) -> String? {
        guard let name, let value else { return nil }
        switch value {
        case .string(let r, let escaped):
            let raw = UnsafeBufferPointer(rebasing: b[r])
            guard escaped else { return try RowAssembler.text(FieldText.text(raw), field: name) }
            let (bytes, loneSurrogate) = JSONText.decodedBytes(raw)
            guard !loneSurrogate else { throw RowAssembler.Rejection(message: "field '\(name)' is not valid UTF-8 (an escaped lone surrogate)") }
            return try bytes.withUnsafeBufferPointer { (t) throws(RowAssembler.Rejection) -> String in
                try RowAssembler.text(FieldText.text(t), field: name)
            }
        case .number(let r):
            let t = UnsafeBufferPointer(rebasing: b[r])
            guard !isID else { throw RowAssembler.Rejection(message: "field '\(name)' must be a string, not a number: \(FieldText.quoted(t))") }
            return try RowAssembler.text(FieldText.text(t), field: name)
        case .bool(let v): throw RowAssembler.Rejection(message: "field '\(name)' must be a string, not a boolean: '\(v)'")
        case nil, .null: throw RowAssembler.Rejection(message: "missing field '\(name)'")
        case .composite: throw RowAssembler.Rejection(message: "field '\(name)' must be a scalar, not an object or array")
        }
    }

    /// Runs `parse` on a string value's bytes, decoding escapes first when there are any.
    private static func withText<T>(
        _ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, _ escaped: Bool,
        _ parse: (UnsafeBufferPointer<UInt8>) throws(RowAssembler.Rejection) -> T
    ) throws(RowAssembler.Rejection) -> T {
        let raw = UnsafeBufferPointer(rebasing: b[r])
        guard escaped else { return try parse(raw) }
        let decoded = Array(JSONText.decode(raw).utf8)
        return try decoded.withUnsafeBufferPointer { (p) throws(RowAssembler.Rejection) -> T in try parse(p) }
    }
}
