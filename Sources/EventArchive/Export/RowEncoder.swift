import Foundation

/// Encodes archive rows as CSV or JSON lines, named by the stream spec.
public struct RowEncoder: Sendable {
    public let spec: StreamSpec
    public let fields: [String]
    public let format: ImportFormat

    public init(spec: StreamSpec, fields: [String], format: ImportFormat) {
        self.spec = spec; self.fields = fields; self.format = format
    }

    public func header(into out: inout [UInt8]) {
        var cols = [spec.time]
        if let key = spec.key { cols.append(key) }
        if let id = spec.id { cols.append(id) }
        cols += fields
        out += Array(cols.map(csvCell).joined(separator: ",").utf8)
        out.append(10)
    }

    public func encode(_ batch: EventBatch, row: Int, into out: inout [UInt8]) {
        let time = EventTime.format(batch.time[row])
        switch format {
        case .csv:
            out += Array(time.utf8)
            if spec.key != nil { out.append(44); out += Array(csvCell(batch.series(at: row)).utf8) }
            if spec.id != nil { out.append(44); out += Array(csvCell(batch.eventIDs?[row] ?? "").utf8) }
            for f in batch.fields.indices { out.append(44); out += Array(number(batch.fields[f][row]).utf8) }
        case .jsonl:
            out += Array("{\(jsonString(spec.time)):\(jsonString(time))".utf8)
            if let key = spec.key { out += Array(",\(jsonString(key)):\(jsonString(batch.series(at: row)))".utf8) }
            if let id = spec.id { out += Array(",\(jsonString(id)):\(jsonString(batch.eventIDs?[row] ?? ""))".utf8) }
            for f in batch.fields.indices {
                let v = batch.fields[f][row]
                out += Array(",\(jsonString(batch.fieldNames[f])):\(v.isFinite ? number(v) : "null")".utf8)
            }
            out.append(125)
        }
        out.append(10)
    }

    private func number(_ v: Double) -> String {
        if v.isNaN { return "" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }

    private func csvCell(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private func jsonString(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where c.value < 0x20: out += String(format: "\\u%04x", c.value)
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }
}

extension ArchiveReader {
    /// Writes the window [from, to) of `fields` (nil: all) to `out` as CSV (with a header) or JSON lines,
    /// in 1 MiB writes; corrupt parts are skipped and reported.
    public func export(
        spec: StreamSpec, fields: [String]?, format: ImportFormat, from: Int64?, to: Int64?, to out: FileHandle
    ) throws -> ReadReport {
        let encoder = RowEncoder(spec: spec, fields: fields ?? spec.fields, format: format)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        if format == .csv { encoder.header(into: &buffer) }
        let report = try read(from: from, to: to, fields: fields) { batch in
            for row in 0..<batch.count {
                encoder.encode(batch, row: row, into: &buffer)
                if buffer.count >= 1 << 20 {
                    try out.write(contentsOf: buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
        }
        try out.write(contentsOf: buffer)
        return report
    }
}
