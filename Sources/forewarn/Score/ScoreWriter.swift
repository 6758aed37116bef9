import EventArchive
import Foundation

/// Writes scored rows: each input record as it was, with the model's columns added.
///
/// CSV rows get `,score,anomaly` appended; JSON-lines objects get the members
/// inserted before their closing brace. A row that could not be read keeps its
/// record with empty (CSV) or null (JSON) results and, in JSON, an `error`.
struct ScoreWriter {
    let format: ImportFormat
    let handle: FileHandle
    private var buffer: [UInt8] = []

    init(path: String, format: ImportFormat, header: [UInt8]?) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forWritingAtPath: path)
        else { throw CommandFailure("cannot create \(path)") }
        self.format = format
        self.handle = handle
        if let header {
            buffer += header
            buffer += Array(",score,anomaly\n".utf8)
        }
    }

    mutating func write(_ batch: FeatureTableBatch, scores: [Double], flags: [Bool]) throws {
        buffer.reserveCapacity(buffer.count + batch.recordBytes.count + batch.rows * 24)
        for i in 0..<batch.rows {
            let record = batch.record(i)
            let valid = batch.isValid(i)
            switch format {
            case .csv:
                buffer += record
                if valid {
                    buffer.append(44)
                    appendScore(scores[i])
                    buffer += flags[i] ? Self.trueCSV : Self.falseCSV
                } else {
                    buffer += Self.emptyCSV
                }
            case .jsonl:
                if valid, let close = record.lastIndex(of: 125) {
                    buffer += record[..<close]
                    // `{}` takes no leading comma.
                    let empty = record[..<close].last(where: { $0 != 32 && $0 != 9 }) == 123
                    buffer += Array((empty ? "\"score\":" : ",\"score\":").utf8)
                    appendScore(scores[i])
                    buffer += flags[i] ? Self.trueJSON : Self.falseJSON
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

