import DurableFiles
import EventArchive
import Foundation

/// What scoring a file found, for the command's closing report.
public struct ScoreSummary: Sendable {
    public var rows = 0, anomalies = 0, invalidRows = 0, missingValues = 0
    /// The first 20 unreadable rows' reasons.
    public var firstProblems: [String] = []

    mutating func add(_ batch: FeatureTableBatch, flags: [Bool]) {
        rows += batch.rows
        missingValues += batch.missingValues
        invalidRows += batch.invalid.count
        for (i, flagged) in flags.enumerated() where flagged && batch.isValid(i) { anomalies += 1 }
        for row in batch.invalid.keys.sorted() where firstProblems.count < 20 {
            firstProblems.append(batch.invalid[row] ?? "")
        }
    }
}

extension OfflineScorer {
    /// Scores `input` into `output` (same format), which appears complete or not at all.
    /// `strict` stops at the first unreadable row and writes nothing.
    public func scoreFile(input: String, format: ImportFormat, output: String, strict: Bool) throws -> ScoreSummary {
        var summary = ScoreSummary()
        try Durable.replace(output) { temporary in
            var reader = try FeatureTableReader(
                path: input, format: format, fields: featureNames, timeField: timeField, keyField: keyField,
                timeReader: timeReader)
            var writer = try ScoreWriter(path: temporary, format: format, header: reader.header, forecasts: forecasts,
                fields: featureNames, drivers: attributes)
            while let batch = try reader.next() {
                if strict, let first = batch.invalid.min(by: { $0.key < $1.key }) {
                    throw OfflineScoringError("\(input): \(first.value) (--strict: nothing written)")
                }
                let rows = score(batch)
                try writer.write(batch, rows)
                summary.add(batch, flags: rows.anomaly)
            }
            try writer.close()
        }
        return summary
    }
}
