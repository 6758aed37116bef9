/// Which rows of a benchmark file a detector trains on; it is scored on the rest (or the test file).
public enum DetectionSplit: Sendable, Equatable, CustomStringConvertible {
    /// The set ships a training file (`<name>_train.csv`) beside the test file (`<name>_test.csv`).
    case trainFile(String)
    /// The first `n` rows of the file (SKAB's own evaluation uses the first 400 of each run).
    case leadingRows(Int)
    /// The first share of the file's rows (0.2: the first 20%).
    case leadingShare(Double)

    public var description: String {
        switch self {
        case .trainFile: return "train file"
        case .leadingRows(let n): return "first \(n) rows"
        case .leadingShare(let share): return "first \(Int((share * 100).rounded()))%"
        }
    }

    /// How many of a file's `count` rows train: at least one, and at least one left to score.
    func trainingRows(of count: Int) -> Int {
        switch self {
        case .trainFile: return 0
        case .leadingRows(let n): return max(1, min(n, count - 1))
        case .leadingShare(let share): return max(1, min(Int(Double(count) * share), count - 1))
        }
    }
}
