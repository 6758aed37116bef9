import AnomalyModels
import Foundation
import EventArchive

/// A CSV of numeric features with a trailing 0/1 `label` column.
enum LabelledCSV {
    static func load(_ path: String) throws -> (FeatureMatrix, [Bool], [String]) {
        guard let handle = FileHandle(forReadingAtPath: path), let first = try handle.readLine() else {
            throw CommandFailure("\(path): cannot read a header line")
        }
        try handle.close()
        let columns = first.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard columns.count >= 2, columns.last == "label" else {
            throw CommandFailure("\(path): the last column must be 'label' (found: \(columns.joined(separator: ", ")))")
        }
        var reader = try FeatureTableReader(path: path, format: .csv, fields: columns)
        var values: [Double] = [], labels: [Bool] = []
        let d = columns.count - 1
        while let batch = try reader.next() {
            if let problem = batch.invalid.first { throw CommandFailure("\(path): \(problem.value)") }
            for r in 0..<batch.rows {
                values.append(contentsOf: batch.values[(r * (d + 1))..<(r * (d + 1) + d)])
                labels.append(batch.values[r * (d + 1) + d] == 1)
            }
        }
        return (FeatureMatrix(rows: labels.count, columns: d, values: values), labels, Array(columns.dropLast()))
    }
}

extension FileHandle {
    /// The first line of the file (reads at most 64 KiB).
    func readLine() throws -> String? {
        guard let data = try read(upToCount: 65_536), !data.isEmpty else { return nil }
        return String(decoding: data.prefix { $0 != 10 && $0 != 13 }, as: UTF8.self)
    }
}
