import EventArchive
import Foundation

extension LabelledSeries {
    /// The time column every benchmark file starts with, and the optional trailing label column.
    public static let timeColumn = "timestamp"
    public static let labelColumn = "label"

    /// Reads a benchmark CSV: `timestamp` (epoch ms, strictly increasing), one or more value
    /// columns, and optionally a trailing `label` of 0 or 1. An empty value is a missing one (NaN);
    /// anything else that is not a number, a bad label or a time going backwards is a `DetectionDataError`.
    public static func read(csv path: String, name: String? = nil) throws(DetectionDataError) -> LabelledSeries {
        let columns = try columns(ofCSV: path)
        guard columns.first == timeColumn else {
            throw DetectionDataError(file: path, line: 1, reason: "the first column must be '\(timeColumn)' (found '\(columns.first ?? "")')")
        }
        let labelled = columns.last == labelColumn
        let values = Array(columns.dropFirst().dropLast(labelled ? 1 : 0))
        guard !values.isEmpty else { throw DetectionDataError(file: path, line: 1, reason: "no value column between '\(timeColumn)' and '\(labelColumn)'") }
        let read = values + (labelled ? [labelColumn] : [])
        var series = LabelledSeries(
            name: name ?? URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent, fieldNames: values,
            time: [], fields: values.map { _ in [] }, labels: labelled ? [] : nil)
        do {
            var reader = try FeatureTableReader(path: path, format: .csv, fields: read, timeField: timeColumn)
            while let batch = try reader.next() { try series.append(batch, path: path, labelled: labelled) }
        } catch let error as DetectionDataError {
            throw error
        } catch let error as RowError {
            throw DetectionDataError(file: path, line: error.line, reason: error.message)
        } catch {
            throw DetectionDataError(file: path, reason: "\(error)")
        }
        guard series.count > 0 else { throw DetectionDataError(file: path, reason: "no data rows") }
        return series
    }

    private mutating func append(_ batch: FeatureTableBatch, path: String, labelled: Bool) throws {
        let d = fieldNames.count + (labelled ? 1 : 0)
        for r in 0..<batch.rows {
            if let problem = batch.invalid[r] {
                throw DetectionDataError(file: path, line: batch.lines[r], reason: Self.withoutLine(problem))
            }
            let t = batch.times[r]
            if let last = time.last, t <= last {
                throw DetectionDataError(file: path, line: batch.lines[r], reason: "time \(t) does not follow \(last): timestamps must increase")
            }
            time.append(t)
            for f in fieldNames.indices { fields[f].append(batch.values[r * d + f]) }
            if labelled {
                let label = batch.values[r * d + d - 1]
                guard label == 0 || label == 1 else {
                    throw DetectionDataError(file: path, line: batch.lines[r], reason: "label must be 0 or 1 (found \(label.isNaN ? "nothing" : "\(label)"))")
                }
                labels?.append(label == 1)
            }
        }
    }

    /// The reader's "line N: reason" without its line, which the error carries on its own.
    private static func withoutLine(_ problem: String) -> String {
        guard problem.hasPrefix("line "), let colon = problem.firstIndex(of: ":") else { return problem }
        return problem[problem.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }

    /// The column names of the CSV header at `path`.
    public static func columns(ofCSV path: String) throws(DetectionDataError) -> [String] {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw DetectionDataError(file: path, reason: "cannot open the file") }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: 1 << 20), !data.isEmpty else {
            throw DetectionDataError(file: path, reason: "the file is empty: a CSV header was expected")
        }
        let line = String(decoding: data.prefix { $0 != 10 && $0 != 13 }, as: UTF8.self)
        return line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    }
}
