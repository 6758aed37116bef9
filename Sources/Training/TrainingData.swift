import AnomalyModels
import Basics
import EventArchive
import Foundation
import ModelKinds

/// A window of the archive as per-series columns, in archive order: what every model kind fits on.
public struct TrainingData: Sendable {
    public var columns: ForecastColumns
    public var report: ReadReport

    /// The first and last event time, nil for an empty window.
    public var timeRange: (min: Int64, max: Int64)? {
        guard let lo = columns.time.min(), let hi = columns.time.max() else { return nil }
        return (lo, hi)
    }

    /// Reads `fields` (nil: all of the stream's fields) of rows in [from, to), batch by batch,
    /// of the series `keep` accepts (nil: all). Corrupt parts are skipped and reported, or thrown with `strict`.
    /// `progress` hears of the read in rows of the parts scanned (`ArchiveReader.read`).
    public static func read(
        archive: String, stream: String, fields: [String]?, from: Int64?, to: Int64?, strict: Bool,
        keep: ((String) -> Bool)? = nil, progress: (any ProgressReporter)? = nil
    ) throws -> TrainingData {
        let reader = try ArchiveReader(root: URL(fileURLWithPath: archive), stream: stream)
        var builder: ForecastColumnsBuilder?
        let report = try reader.read(from: from, to: to, fields: fields, strict: strict, progress: progress) { whole in
            let batch = keep.map { whole.keeping(series: $0) } ?? whole
            if builder == nil { builder = ForecastColumnsBuilder(fieldNames: batch.fieldNames) }
            try builder?.append(ForecastColumns(batch))
        }
        let columns = builder?.columns
            ?? ForecastColumns(time: [], seriesCodes: [], seriesNames: [], fieldNames: fields ?? [], fields: (fields ?? []).map { _ in [] })
        return TrainingData(columns: columns, report: report)
    }
}

extension EventBatch {
    /// The rows of series for which `keep` holds, with only those series in `seriesNames`.
    func keeping(series keep: (String) -> Bool) -> EventBatch {
        let kept = seriesNames.map(keep)
        if kept.allSatisfy({ $0 }) { return self }
        var recode = [Int32](repeating: -1, count: seriesNames.count)
        var names: [String] = []
        for (i, name) in seriesNames.enumerated() where kept[i] {
            recode[i] = Int32(names.count)
            names.append(name)
        }
        let rows = seriesCodes.indices.filter { kept[Int(seriesCodes[$0])] }
        var out = EventBatch(fieldNames: fieldNames, seriesNames: names)
        out.time = rows.map { time[$0] }
        out.seriesCodes = rows.map { recode[Int(seriesCodes[$0])] }
        out.fields = fields.map { column in rows.map { column[$0] } }
        return out
    }
}
