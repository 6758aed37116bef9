import AnomalyModels
import Basics
import EventArchive
import Foundation
import ModelKinds
import ModelRegistry

/// A training job (`forewarn train --job FILE`): fit on the job's window less
/// its holdout, backtest the challenger and the production champion on the
/// holdout, register the challenger with both sets of figures, and promote it
/// only if the gates pass.
public struct ScheduledTraining: Sendable {
    public let job: JobSpec
    public let kind: any ModelKind
    /// Where the champion's kind is looked up (a name keeps its kind, but a version registered before that
    /// rule may be of another).
    public let kinds: ModelKinds
    /// Registry root when the job names none.
    public let defaultRegistry: String
    /// Hears of the read, the fit and the backtest (nil: nobody is watching).
    public var progress: (any ProgressReporter)?

    /// What the job decided about the version it registered.
    public struct Result: Sendable {
        public var version: Int
        public var champion: Int?
        public var challenger: [String: Double]
        public var championFigures: [String: Double]
        /// Why the challenger was kept a candidate; empty when it was promoted.
        public var refusals: [String]
        public var alias: String
        public var promoted: Bool { refusals.isEmpty }
    }

    public init(job: JobSpec, kinds: ModelKinds = .standard, defaultRegistry: String) throws {
        self.job = job
        kind = try kinds.kind(named: job.model ?? IsolationForest.modelKind)
        self.kinds = kinds
        self.defaultRegistry = defaultRegistry
    }

    var registry: Registry { Registry(root: job.registry ?? defaultRegistry) }
    var settings: [String] { (job.params ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" } }

    /// The job's window: [start, split) to fit on, [split, end) held out. `alignEnd` floors an end
    /// the job resolves itself to the hour (sharded runs, so shards started minutes apart agree).
    public func window(alignEnd: Bool = false) throws -> (start: Int64, split: Int64, end: Int64) {
        func time(_ text: String, _ key: String) throws -> Int64 {
            guard let ms = EventTime.parse(text) else {
                throw TrainingError("job \(job.name): \(key) '\(text)' is not a time (RFC 3339, a date, or epoch ms)")
            }
            return ms
        }
        let reader = try ArchiveReader(root: URL(fileURLWithPath: job.archive), stream: job.stream)
        let newest = try reader.parts().parts.map(\.timeMax).max() ?? 0
        var end = try job.window.to.map { try time($0, "window.to") }
            ?? (job.window.anchor == "now" ? Int64(Date().timeIntervalSince1970 * 1000) : newest + 1)
        if alignEnd, job.window.to == nil { end = ShardPlan.floorToHour(end) }
        guard let start = try job.window.from.map({ try time($0, "window.from") })
            ?? job.window.last.map({ end - $0.milliseconds })
        else { throw TrainingError("job \(job.name): the window needs 'last' (like 14d) or 'from'") }
        let holdout = (job.holdout ?? .days(1)).milliseconds
        guard start < end - holdout else {
            throw TrainingError("job \(job.name): the holdout must be a duration shorter than the window")
        }
        return (start, end - holdout, end)
    }

    /// Fits, backtests, registers and gates.
    public func run() throws -> Result {
        let (start, split, end) = try window()
        _ = try kind.canonicalParameters(settings, seed: nil)
        try registry.checkKind(kind.name, for: job.name)
        let data = try TrainingData.read(
            archive: job.archive, stream: job.stream, fields: job.fields, from: start, to: split, strict: false,
            progress: progress)
        progress?.start("fitting \(kind.name) on \(data.columns.count) rows")
        let fitted = try kind.fit(data.columns, settings: settings, seed: nil)
        progress?.finish()
        return try finish(fitted: fitted, report: data.report, rows: data.columns.count, history: data.columns, window: (start, split, end))
    }

    /// Backtests the fitted model and the champion on the holdout, registers the
    /// challenger (through `staging` in a sharded run) and promotes it if the gates pass.
    func finish(
        fitted: FittedModel, report: ReadReport, rows: Int, history: ForecastColumns,
        window: (start: Int64, split: Int64, end: Int64), staging: ShardRun? = nil, provenance: [String: String] = [:]
    ) throws -> Result {
        let (start, split, end) = window
        progress?.start("backtesting on the holdout")
        let slice = try Holdout.read(archive: job.archive, stream: job.stream, fields: fitted.fields, from: split, to: end)
        let scratch = NSTemporaryDirectory() + "forewarn-job-\(getpid())-\(UUID().uuidString).h5"
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try fitted.save(scratch, [:])
        let challenger = try kind.backtest(modelAt: scratch, history: history, holdout: slice)

        let registry = self.registry
        let alias = job.promotion?.alias ?? "production"
        let champion = try? registry.resolve(name: job.name, alias: alias)
        // A champion of another shape (stream, fields) cannot be backtested on this holdout, and no scorer of the
        // alias would load the challenger: that alone keeps it a candidate.
        let shape = ModelShape(provenance: [ModelShape.streamKey: job.stream, ModelShape.fieldsKey: fitted.fields.joined(separator: ",")])
        let reshaped = champion.map { ModelShape($0.metadata).differences(to: shape) } ?? []
        let championPath = try champion.map { try registry.verifiedModelPath(name: job.name, version: $0.version) }
        let championFigures = reshaped.isEmpty ? try championPath.map {
            try kinds.kind(ofFile: $0).backtest(modelAt: $0, history: history, holdout: slice).figures
        } ?? [:] : [:]
        progress?.finish()
        var refusals = gates(rows: rows, challenger: challenger.figures, champion: championFigures)
        if let champion, !reshaped.isEmpty {
            refusals.append("reads another shape than the champion v\(champion.version) (\(reshaped.joined(separator: "; ")))")
        }

        var metrics = fitted.metrics
        for (k, v) in challenger.figures { metrics["backtest_\(k)"] = v }
        for (k, v) in championFigures { metrics["champion_backtest_\(k)"] = v }
        let spec = try? StreamSpec.load(path: "\(job.archive)/\(job.stream)/stream.yaml")
        var trained = TrainedModel(
            name: job.name, kind: kind.name, stream: job.stream, archive: job.archive, window: (start, split), report: report,
            rows: rows, timeRange: nil, fitSeconds: 0, parameters: fitted.parameters, metrics: metrics,
            timeField: spec?.time, keyField: spec?.key)
        trained.extraProvenance = provenance
        trained.fields = fitted.fields
        trained.timeProvenance = spec?.timeProvenance ?? [:]
        let reason = refusals.isEmpty
            ? "job \(job.name): backtest gates passed" : "job \(job.name): kept as candidate: \(refusals.joined(separator: "; "))"
        var page = trained.report(title: "\(job.name): training report (job)")
        for section in fitted.report() { page.add(section) }
        let keys = Set(challenger.figures.keys).union(championFigures.keys).sorted()
        page.table(
            "Backtest on the held-out \(job.holdout ?? .days(1)) (\(slice.columns.count) events, \(slice.labelled) labelled anomalies)",
            ["figure", "challenger (this version)", "champion" + (champion.map { " (v\($0.version))" } ?? " (none)")],
            keys.map { k in
                [k, challenger.figures[k].map { String(format: "%.4f", $0) } ?? "-", championFigures[k].map { String(format: "%.4f", $0) } ?? "-"]
            })
        page.table("Promotion", ["decision"], refusals.isEmpty ? [["promoted to \(alias)"]] : refusals.map { ["kept as candidate: \($0)"] })
        for section in challenger.sections { page.add(section) }
        let what = "the held-out \(job.holdout ?? .days(1))"
        for section in ReportWindow.sections(
            fitted: fitted, kind: kind, history: history, window: slice.columns, labels: slice.labels, what: what)
        {
            page.add(section)
        }
        // The candidate alias follows every refused challenger, whatever its shape.
        let meta = try trained.register(
            in: registry, promoteTo: refusals.isEmpty ? alias : "candidate", reason: reason, report: page, staging: staging,
            force: !refusals.isEmpty
        ) { path in
            try fitted.save(path, trained.provenance)
        }
        return Result(
            version: meta.version, champion: champion?.version, challenger: challenger.figures, championFigures: championFigures,
            refusals: refusals, alias: alias)
    }

    /// Why the challenger may not replace the champion; empty when it may.
    private func gates(rows: Int, challenger: [String: Double], champion: [String: Double]) -> [String] {
        let p = job.promotion
        var out: [String] = []
        if let min = p?.minRows, rows < min { out.append("\(rows) training rows, fewer than min_rows \(min)") }
        let margin = p?.maxRegression ?? kind.defaultMaxRegression
        if let c = challenger["auc"], let b = champion["auc"], c < b - margin {
            out.append(String(format: "backtest AUC %.4f is worse than the champion's %.4f by more than %.3f", c, b, margin))
        }
        if let c = challenger["mase"], let b = champion["mase"], c > b + margin {
            out.append(String(format: "backtest MASE %.4f is worse than the champion's %.4f by more than %.3f", c, b, margin))
        }
        // Only forecasting kinds report interval coverage.
        let band = p?.coverage ?? [0.9, 0.99]
        if band.count == 2, let c = challenger["coverage"], !(band[0]...band[1]).contains(c) {
            out.append(String(format: "held-out interval coverage %.3f is outside [%.2f, %.2f]", c, band[0], band[1]))
        }
        return out
    }
}
