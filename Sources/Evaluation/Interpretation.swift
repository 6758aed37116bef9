import Foundation

/// The interpretation labels that SMD and ASD ship (`interpretation_label.json`, see the sets' README): for
/// each labelled segment of a file, the metrics its experts named. And the field's measure of how well a
/// ranking of metrics agrees with them, HitRate@P% (Su et al., OmniAnomaly, KDD 2019): per labelled row
/// with named metrics G, the share of G among the ranking's first ⌊P% × |G|⌋, averaged over those rows.
public struct Interpretation: Sendable {
    public struct Segment: Sendable, Equatable {
        /// 0-based test rows, inclusive.
        public var rows: ClosedRange<Int>
        public var columns: [String]

        public init(rows: ClosedRange<Int>, columns: [String]) {
            self.rows = rows
            self.columns = columns
        }
    }

    /// Per file name (`machine-1-2`, `omi-3`), its segments.
    public var files: [String: [Segment]]

    public static let fileName = "interpretation_label.json"

    /// The labels in `folder`, or nil when it has none. Throws `DetectionDataError` for a file that does not parse.
    public static func load(folder: String) throws(DetectionDataError) -> Interpretation? {
        let path = (folder as NSString).appendingPathComponent(fileName)
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        guard let top = (try? JSONSerialization.jsonObject(with: data)) as? [String: [[String: Any]]] else {
            throw DetectionDataError(file: path, reason: "not an object of arrays of segments")
        }
        var files: [String: [Segment]] = [:]
        for (name, entries) in top {
            files[name] = try entries.map { e throws(DetectionDataError) in
                guard let start = e["start_row"] as? Int, let end = e["end_row"] as? Int, start <= end,
                    let columns = e["columns"] as? [String]
                else { throw DetectionDataError(file: path, reason: "a segment of \(name) lacks start_row, end_row or columns") }
                return Segment(rows: start...end, columns: columns)
            }
        }
        return Interpretation(files: files)
    }

    /// HitRate@`percent` of `ranking` (per test row, metric names most anomalous first; nil for a row it says
    /// nothing about) over the labelled rows of `segments` below `rows`; nil when no row counts.
    public static func hitRate(
        _ segments: [Segment], rows: Int, percent: Double, ranking: (Int) -> [String]?
    ) -> (rate: Double, rows: Int)? {
        var sum = 0.0, counted = 0
        for s in segments where !s.columns.isEmpty {
            let truth = Set(s.columns)
            let k = Int((percent / 100 * Double(truth.count)).rounded(.down))
            for row in s.rows where row < rows {
                guard let ranked = ranking(row) else { continue }
                sum += Double(ranked.prefix(k).filter { truth.contains($0) }.count) / Double(truth.count)
                counted += 1
            }
        }
        return counted == 0 ? nil : (sum / Double(counted), counted)
    }

    /// The reference ranking: metrics by |x − median| / MAD of their training values, largest first (a metric
    /// constant in training: any change ranks first, none ranks last).
    public static func robustZRanking(train: LabelledSeries, test: LabelledSeries) -> (Int) -> [String] {
        let centre = train.fields.map { column -> (Double, Double) in
            let a = column.filter { $0.isFinite }.sorted()
            guard !a.isEmpty else { return (0, 1) }
            let m = a[a.count / 2]
            let d = a.map { abs($0 - m) }.sorted()
            return (m, d[d.count / 2])
        }
        return { row in
            let z = test.fields.indices.map { j -> Double in
                let (m, mad) = centre[j]
                let dev = abs(test.fields[j][row] - m)
                guard dev.isFinite else { return 0 }
                return mad > 0 ? dev / mad : (dev > 0 ? .infinity : 0)
            }
            return z.indices.sorted { z[$0] > z[$1] }.map { test.fieldNames[$0] }
        }
    }
}
