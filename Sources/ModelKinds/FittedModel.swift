import AnomalyModels

/// A freshly fitted (or merged) model of any kind: how to save it, and what
/// training reports about it. Made by a kind's `fit`; saved and registered by `Training`.
public struct FittedModel {
    public var save: (_ path: String, _ provenance: [String: String]) throws -> Void
    public var parameters: [String: String]
    public var metrics: [String: Double]
    /// Lines for the human summary, after the common header.
    public var lines: [String]
    /// Members for the JSON summary.
    public var json: [String: any Sendable]
    /// The fields the model reads, in its order.
    public var fields: [String]
    /// Warnings worth a line on stderr (a small window, a constant series).
    public var notes: [String] = []
    /// The model's own sections of the training report.
    public var report: () -> [ReportSection] = { [] }

    public init(
        save: @escaping (_ path: String, _ provenance: [String: String]) throws -> Void, parameters: [String: String],
        metrics: [String: Double], lines: [String], json: [String: any Sendable], fields: [String], notes: [String] = [],
        report: @escaping () -> [ReportSection] = { [] }
    ) {
        self.save = save
        self.parameters = parameters
        self.metrics = metrics
        self.lines = lines
        self.json = json
        self.fields = fields
        self.notes = notes
        self.report = report
    }
}

/// A part of a training report, said as data; `Training` renders it.
public enum ReportSection: Sendable {
    case table(heading: String, header: [String], rows: [[String]])
    /// Values in [0, 1] with a marked threshold; `note` says what they are.
    case histogram(heading: String, values: [Double], threshold: Double?, note: String)
    /// One series' values in time order (epoch ms), with the forecast and its band where the model forecasts,
    /// and the flagged events marked.
    case timeSeries(
        heading: String, unit: String, time: [Int64], actual: [Double], forecast: [Double]?, lower: [Double]?,
        upper: [Double]?, flagged: [Bool])
    /// How unusual each event was (`axis` says in what), flagged ones set apart.
    case scoreHistogram(heading: String, axis: String, values: [Double], flagged: [Bool])
}

/// The held-out end of a training window, with labels where the archive has them.
public struct Holdout: Sendable {
    public var columns: ForecastColumns
    /// Per row: a labelled anomaly.
    public var labels: [Bool]

    public init(columns: ForecastColumns, labels: [Bool]) {
        self.columns = columns
        self.labels = labels
    }

    public var labelled: Int { labels.reduce(0) { $0 + ($1 ? 1 : 0) } }
}

/// A backtest's figures (`auc`, `mase`, `coverage`, ...), and what it adds to the report.
public struct Backtest: Sendable {
    public var figures: [String: Double]
    public var sections: [ReportSection]

    public init(figures: [String: Double], sections: [ReportSection] = []) {
        self.figures = figures
        self.sections = sections
    }
}
