import AnomalyModels
import EventArchive
import Foundation

/// A window of the archive gathered into a feature matrix for fitting.
struct TrainingData {
    var features: FeatureMatrix
    var fieldNames: [String]
    var timeMin: Int64
    var timeMax: Int64
    var report: ReadReport

    /// Reads `fields` (nil: all of the stream's fields) of rows in [from, to), batch by batch,
    /// of the series `keep` accepts (nil: all).
    static func read(
        archive: String, stream: String, fields: [String]?, from: Int64?, to: Int64?, strict: Bool,
        keep: ((String) -> Bool)? = nil
    ) throws -> TrainingData {
        let reader = try ArchiveReader(root: URL(fileURLWithPath: archive), stream: stream)
        var names = fields ?? []
        var values: [Double] = []
        var lo = Int64.max, hi = Int64.min
        let progress = Progress("reading \(stream) from the archive")
        let report = try reader.read(from: from, to: to, fields: fields, strict: strict) { whole in
            let batch = keep.map { whole.keeping(series: $0) } ?? whole
            progress.update(values.count / max(names.count, 1) + batch.count, "rows")
            if names.isEmpty { names = batch.fieldNames }
            let d = names.count, base = values.count
            values.append(contentsOf: repeatElement(0, count: batch.count * d))
            values.withUnsafeMutableBufferPointer { out in
                for (j, column) in batch.fields.enumerated() {
                    for (i, v) in column.enumerated() { out[base + i * d + j] = v }
                }
            }
            for t in batch.time {
                lo = min(lo, t)
                hi = max(hi, t)
            }
        }
        progress.finish("\(values.count / max(names.count, 1)) rows")
        let matrix = FeatureMatrix(rows: values.count / max(names.count, 1), columns: names.count, values: values)
        return TrainingData(features: matrix, fieldNames: names, timeMin: lo, timeMax: hi, report: report)
    }
}
