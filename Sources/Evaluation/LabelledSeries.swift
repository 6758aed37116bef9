import EventArchive

/// One labelled series of a benchmark file (or a part of one), column by column: the rows in
/// time order, the value fields, and per row whether it is a labelled anomaly.
public struct LabelledSeries: Sendable, Equatable {
    /// The file's name without `.csv` (and without `_train`/`_test` for split sets).
    public var name: String
    public var fieldNames: [String]
    /// Milliseconds since the Unix epoch, strictly increasing.
    public var time: [Int64]
    /// `fields[f][row]`; NaN marks a missing value.
    public var fields: [[Double]]
    /// Per row: a labelled anomaly. nil for a file without a `label` column (a training file).
    public var labels: [Bool]?

    public init(name: String, fieldNames: [String], time: [Int64], fields: [[Double]], labels: [Bool]?) {
        self.name = name
        self.fieldNames = fieldNames
        self.time = time
        self.fields = fields
        self.labels = labels
    }

    public var count: Int { time.count }

    /// The rows in `range`, as a series of their own.
    public func rows(_ range: Range<Int>) -> LabelledSeries {
        LabelledSeries(
            name: name, fieldNames: fieldNames, time: Array(time[range]), fields: fields.map { Array($0[range]) },
            labels: labels.map { Array($0[range]) })
    }

    /// The rows as one event batch of a single series (`""`), as a stream would bring them.
    public var events: EventBatch {
        EventBatch(
            fieldNames: fieldNames, time: time, seriesCodes: [Int32](repeating: 0, count: count), seriesNames: [""],
            fields: fields)
    }

    /// The rows whose time is at least `from`, as an event batch (nil when none is).
    public func events(since from: Int64) -> EventBatch? {
        guard let first = time.firstIndex(where: { $0 >= from }) else { return nil }
        return rows(first..<count).events
    }
}
