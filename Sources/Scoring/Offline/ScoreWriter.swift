import EventArchive
import Foundation
import ModelKinds

/// Writes scored rows: each input record as it was, with the model's columns added.
///
/// CSV rows get `,score,anomaly` appended; JSON-lines objects get the members
/// inserted before their closing brace. A forecaster's rows also get the driving
/// field's forecast, band, name, value and deviation in robust sigmas and, when the
/// model has several fields, every field's forecast, band and deviation
/// (docs/formats.md, "Scored files"). A row that could not be read keeps its
/// record with empty (CSV) or null (JSON) results and, in JSON, an `error`.
struct ScoreWriter {
    let format: ImportFormat
    let handle: FileHandle
    /// Whether rows carry forecast, lower and upper.
    let forecasts: Bool
    /// The forecast fields that get columns of their own (none for a model of one field).
    let perField: [String]
    private var buffer: [UInt8] = []

    /// Whether rows carry `drivers` (the isolation forest's attribution of flagged rows).
    let drivers: Bool

    init(path: String, format: ImportFormat, header: [UInt8]?, forecasts: Bool = false, fields: [String] = [], drivers: Bool = false) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forWritingAtPath: path)
        else { throw OfflineScoringError("cannot create \(path)") }
        self.format = format
        self.handle = handle
        self.forecasts = forecasts
        self.drivers = drivers
        perField = forecasts && fields.count > 1 ? fields : []
        if let header {
            buffer += header
            var columns = forecasts ? ",score,anomaly,forecast,lower,upper,field,actual,sigmas" : ",score,anomaly"
            for f in perField { columns += ",\(f)_forecast,\(f)_lower,\(f)_upper,\(f)_sigmas" }
            if drivers { columns += ",drivers" }
            buffer += Array((columns + "\n").utf8)
        }
    }

    /// The explanation's values of row `i`, in column order after `forecast,lower,upper`: actual and sigmas,
    /// then per field forecast, lower, upper and sigmas.
    private func explained(_ e: PredictionColumns.Explanation?, _ i: Int) -> [Double] {
        guard let e else { return [Double](repeating: .nan, count: 2 + 4 * perField.count) }
        var out = [e.actual[i], e.sigmas[i]]
        for f in perField.indices {
            out += [e.fieldForecast[f][i], e.fieldLower[f][i], e.fieldUpper[f][i], e.fieldSigmas[f][i]]
        }
        return out
    }

    mutating func write(_ batch: FeatureTableBatch, _ rows: PredictionColumns) throws {
        let scores = rows.score, flags = rows.anomaly
        buffer.reserveCapacity(buffer.count + batch.recordBytes.count + batch.rows * 24)
        for i in 0..<batch.rows {
            let record = batch.record(i)
            let valid = batch.isValid(i)
            switch format {
            case .csv:
                buffer += record
                if valid, !scores[i].isNaN {
                    buffer.append(44)
                    appendScore(scores[i])
                    buffer += flags[i] ? Self.trueCSV : Self.falseCSV
                } else {
                    buffer += Self.emptyCSV
                }
                if forecasts {
                    for column in [rows.forecast, rows.lower, rows.upper] {
                        buffer.append(44)
                        if let v = column?[i], v.isFinite { buffer += Array(v.description.utf8) }
                    }
                    buffer.append(44)
                    if let name = rows.explanation?.fieldName(i) { buffer += csvField(name) }
                    let values = explained(rows.explanation, i)
                    for v in values {
                        buffer.append(44)
                        if v.isFinite { buffer += Array(v.description.utf8) }
                    }
                }
                if drivers {
                    buffer.append(44)
                    if valid, let text = rows.drivers?.text(i), !text.isEmpty { buffer += csvField(text) }
                }
            case .jsonl:
                if valid, let close = record.lastIndex(of: 125) {
                    buffer += record[..<close]
                    // `{}` takes no leading comma.
                    let empty = record[..<close].last(where: { $0 != 32 && $0 != 9 }) == 123
                    buffer += Array((empty ? "\"score\":" : ",\"score\":").utf8)
                    if scores[i].isNaN { buffer += Array("null".utf8) } else { appendScore(scores[i]) }
                    buffer += flags[i] ? Self.trueJSON : Self.falseJSON
                    if forecasts {
                        for (key, column) in [("forecast", rows.forecast), ("lower", rows.lower), ("upper", rows.upper)] {
                            let v = column?[i] ?? .nan
                            buffer += Array(",\"\(key)\":\(v.isFinite ? v.description : "null")".utf8)
                        }
                        try explainJSON(rows.explanation, i)
                    }
                    if drivers {
                        let text = rows.drivers?.text(i) ?? ""
                        let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                        buffer += Array(",\"drivers\":\(text.isEmpty ? "null" : "\"\(escaped)\"")".utf8)
                    }
                    buffer += record[close...]
                } else {
                    let reason = batch.invalid[i] ?? "unreadable record"
                    let escaped = String(decoding: try JSONSerialization.data(withJSONObject: [reason]), as: UTF8.self)
                    buffer += Array("{\"score\":null,\"anomaly\":null,\"error\":\(escaped.dropFirst().dropLast())}".utf8)
                }
            }
            buffer.append(10)
        }
        try flush()
    }

    /// `,"field":..,"actual":..,"sigmas":..` and, with several fields, `,"fields":{"f":{"forecast":..,..}}`.
    private mutating func explainJSON(_ e: PredictionColumns.Explanation?, _ i: Int) throws {
        func num(_ v: Double) -> String { v.isFinite ? v.description : "null" }
        let values = explained(e, i)
        var text = ",\"field\":"
        if let name = e?.fieldName(i) { text += try jsonString(name) } else { text += "null" }
        text += ",\"actual\":\(num(values[0])),\"sigmas\":\(num(values[1]))"
        if !perField.isEmpty {
            text += ",\"fields\":{"
            for (f, name) in perField.enumerated() {
                let v = values[(2 + 4 * f)...]
                text += (f == 0 ? "" : ",") + (try jsonString(name))
                text += ":{\"forecast\":\(num(v[v.startIndex])),\"lower\":\(num(v[v.startIndex + 1]))"
                text += ",\"upper\":\(num(v[v.startIndex + 2])),\"sigmas\":\(num(v[v.startIndex + 3]))}"
            }
            text += "}"
        }
        buffer += Array(text.utf8)
    }

    private func jsonString(_ s: String) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: [s]), as: UTF8.self).dropFirst().dropLast().description
    }

    /// A field name as a CSV cell, quoted when it holds a comma, quote or line break.
    private func csvField(_ s: String) -> [UInt8] {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return Array(s.utf8) }
        return Array(("\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"").utf8)
    }

    mutating func flush() throws {
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws { try handle.close() }

    /// A score in [0, 1] with six decimals, without going through a formatter per row.
    private mutating func appendScore(_ s: Double) {
        let micros = Int((min(max(s, 0), 1) * 1_000_000).rounded())
        buffer.append(micros >= 1_000_000 ? 49 : 48)
        buffer.append(46)
        var digits = micros % 1_000_000
        var tmp: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (48, 48, 48, 48, 48, 48)
        withUnsafeMutableBytes(of: &tmp) { t in
            for k in stride(from: 5, through: 0, by: -1) {
                t[k] = UInt8(48 + digits % 10)
                digits /= 10
            }
            buffer.append(contentsOf: t)
        }
    }

    private static let trueCSV = Array(",true".utf8), falseCSV = Array(",false".utf8), emptyCSV = Array(",,".utf8)
    private static let trueJSON = Array(",\"anomaly\":true".utf8), falseJSON = Array(",\"anomaly\":false".utf8)
}

