import Foundation

/// A folder of labelled files in the layout of `shared/benchmarks/timeseries` (its README):
/// `<name>_train.csv` beside `<name>_test.csv` where the source has a split, else one labelled
/// `<name>.csv` per series, trained on a leading part. Files without a `label` column (SKAB's
/// anomaly-free run) have nothing to evaluate and are left out.
public struct DetectionSet: Sendable {
    /// The sets of `shared/benchmarks/timeseries`, in the order the bench reports them.
    public static let standardNames = ["smd", "asd", "kpi", "skab", "ucr"]
    /// Where the bench looks by default, relative to the repository.
    public static let defaultRoot = "../shared/benchmarks/timeseries"
    /// SKAB's own evaluation trains on the first 400 rows of each run; others without a split on the first 20%.
    public static let leadingSplits: [String: DetectionSplit] = ["skab": .leadingRows(400)]
    public static let defaultSplit = DetectionSplit.leadingShare(0.2)

    public var name: String
    public var files: [DetectionFile]

    public init(name: String, files: [DetectionFile]) {
        self.name = name
        self.files = files
    }

    /// The set `name` under `root`, files sorted by name.
    public static func discover(root: String, name: String) throws(DetectionDataError) -> DetectionSet {
        let dir = (root as NSString).appendingPathComponent(name)
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: dir) else {
            throw DetectionDataError(file: dir, reason: "no such set (the sets are folders of \(root))")
        }
        let csvs = Set(entries.filter { $0.hasSuffix(".csv") })
        var files: [DetectionFile] = []
        for entry in csvs.sorted() where !entry.hasSuffix("_train.csv") {
            let path = (dir as NSString).appendingPathComponent(entry)
            let base = String(entry.dropLast(4))
            if base.hasSuffix("_test") {
                let stem = String(base.dropLast(5))
                guard csvs.contains("\(stem)_train.csv") else { continue }
                files.append(DetectionFile(set: name, name: stem, path: path, split: .trainFile((dir as NSString).appendingPathComponent("\(stem)_train.csv"))))
            } else if hasLabels(path) {
                files.append(DetectionFile(set: name, name: base, path: path, split: leadingSplits[name] ?? defaultSplit))
            }
        }
        return DetectionSet(name: name, files: files)
    }

    /// Whether the file's header ends in a `label` column.
    static func hasLabels(_ path: String) -> Bool {
        (try? LabelledSeries.columns(ofCSV: path))?.last == LabelledSeries.labelColumn
    }
}
