import Foundation

/// A benchmark file found on disk, not read yet: its set, its name, where it is and how it splits.
public struct DetectionFile: Sendable, Equatable {
    public var set: String
    public var name: String
    /// The labelled file that is scored (the whole file for a leading split).
    public var path: String
    public var split: DetectionSplit

    public init(set: String, name: String, path: String, split: DetectionSplit) {
        self.set = set
        self.name = name
        self.path = path
        self.split = split
    }

    /// Reads and splits the file. A test part without a labelled row cannot be evaluated and is an error.
    public func load() throws(DetectionDataError) -> DetectionCase {
        let whole = try LabelledSeries.read(csv: path, name: name)
        guard whole.labels != nil else { throw DetectionDataError(file: path, reason: "no '\(LabelledSeries.labelColumn)' column to evaluate against") }
        let train: LabelledSeries, test: LabelledSeries
        switch split {
        case .trainFile(let trainPath):
            train = try LabelledSeries.read(csv: trainPath, name: name)
            test = whole
            guard train.fieldNames == test.fieldNames else {
                throw DetectionDataError(file: trainPath, line: 1, reason: "its value columns differ from \(path)'s")
            }
        case .leadingRows, .leadingShare:
            guard whole.count >= 2 else { throw DetectionDataError(file: path, reason: "\(whole.count) row: nothing to split") }
            let n = split.trainingRows(of: whole.count)
            train = whole.rows(0..<n)
            test = whole.rows(n..<whole.count)
        }
        guard test.labels?.contains(true) == true else {
            throw DetectionDataError(file: path, reason: "no labelled anomaly in the scored part (\(split))")
        }
        return DetectionCase(set: set, name: name, split: split, train: train, test: test)
    }
}
