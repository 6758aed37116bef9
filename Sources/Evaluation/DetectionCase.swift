/// One benchmark file ready to run: the rows to train on and the labelled rows to score, in time order.
public struct DetectionCase: Sendable {
    public var set: String
    public var name: String
    public var split: DetectionSplit
    public var train: LabelledSeries
    public var test: LabelledSeries

    public init(set: String, name: String, split: DetectionSplit, train: LabelledSeries, test: LabelledSeries) {
        self.set = set
        self.name = name
        self.split = split
        self.train = train
        self.test = test
    }

    /// The test part's labels (a test part always has them).
    public var labels: [Bool] { test.labels ?? [Bool](repeating: false, count: test.count) }
}
