import AnomalyModels
import ArgumentParser
import EventArchive
import Foundation
import ModelRegistry
import Scoring

/// `forewarn train --job FILE`: fit on the job's window less its holdout,
/// backtest the challenger and the production champion on the holdout, register
/// the challenger with both sets of figures, and promote it only if the gates pass.
struct TrainJob {
    /// Exit status when the challenger was registered but the gates kept it a candidate.
    static let refusedStatus: Int32 = 6

    let job: JobSpec
    let json: Bool
    var shard: ShardSpec?
    var shardRun: String?

    /// What the job decided about the version it registered.
    struct Result {
        var version: Int
        var champion: Int?
        var challenger: [String: Double]
        var championFigures: [String: Double]
        var refusals: [String]
        var alias: String
    }

    /// The job's window: [start, split) to fit on, [split, end) held out. With
    /// --shard, an end the job resolves itself is floored to the hour.
    func window() throws -> (start: Int64, split: Int64, end: Int64) {
        let reader = try ArchiveReader(root: URL(fileURLWithPath: job.archive), stream: job.stream)
        let newest = try reader.parts().parts.map(\.timeMax).max() ?? 0
        var end = try job.window.to.map { try parseTime($0, option: "window.to") }
            ?? (job.window.anchor == "now" ? Int64(Date().timeIntervalSince1970 * 1000) : newest + 1)
        if shard != nil, job.window.to == nil { end = ShardPlan.floorToHour(end) }
        guard let start = try job.window.from.map({ try parseTime($0, option: "window.from") })
            ?? job.window.last.flatMap(Simulator.parseDuration).map({ end - $0 })
        else { throw CommandFailure("job \(job.name): the window needs 'last' (like 14d) or 'from'") }
        guard let holdout = Simulator.parseDuration(job.holdout ?? "1d"), start < end - holdout else {
            throw CommandFailure("job \(job.name): the holdout must be a duration shorter than the window")
        }
        return (start, end - holdout, end)
    }

    var settings: [String] { (job.params ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" } }

    func run() throws {
        let kind = job.model ?? "isolation-forest"
        if let shard { return try runSharded(shard, kind: kind) }
        let (start, split, end) = try window()
        let fitted: FittedModel, report: ReadReport, rows: Int, fields: [String]
        var history: ForecastColumns?
        switch kind {
        case "isolation-forest":
            let data = try TrainingData.read(archive: job.archive, stream: job.stream, fields: job.fields, from: start, to: split, strict: false)
            (fitted, report, rows, fields) = (try .isolationForest(data, settings: settings, seed: nil), data.report, data.features.rows, data.fieldNames)
        case "forecast":
            let data = try ForecastTrainingData.read(archive: job.archive, stream: job.stream, fields: job.fields, from: start, to: split, strict: false)
            (fitted, report, rows, fields) = (try .forecaster(data, settings: settings), data.report, data.columns.count, data.fieldNames)
            history = data.columns
        default:
            throw CommandFailure("job \(job.name): unknown model '\(kind)' (isolation-forest or forecast)")
        }
        let result = try finish(
            kind: kind, fitted: fitted, report: report, rows: rows, fields: fields, history: history,
            window: (start, split, end))
        try summarize(result)
    }

    /// Backtests the fitted model and the champion on the holdout, registers the
    /// challenger (through `staging` in a sharded run) and promotes it if the gates pass.
    func finish(
        kind: String, fitted: FittedModel, report: ReadReport, rows: Int, fields: [String], history: ForecastColumns?,
        window: (start: Int64, split: Int64, end: Int64), staging: ShardRun? = nil,
        provenance: [String: String] = [:]
    ) throws -> Result {
        let (start, split, end) = window
        let slice = try HoldoutSlice.read(archive: job.archive, stream: job.stream, fields: fields, from: split, to: end)
        let scratch = NSTemporaryDirectory() + "forewarn-job-\(getpid()).h5"
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try fitted.save(scratch, [:])
        let challenger = try Backtest.evaluate(modelAt: scratch, history: history, holdout: slice)

        let registry = Registry(root: job.registry ?? registryRoot(nil))
        let alias = job.promotion?.alias ?? "production"
        let champion = try? registry.resolve(name: job.name, alias: alias)
        let championFigures = try champion.map { try Backtest.evaluate(modelAt: $0.modelPath, history: history, holdout: slice) } ?? [:]
        let refusals = gates(kind: kind, rows: rows, challenger: challenger, champion: championFigures)

        var metrics = fitted.metrics
        for (k, v) in challenger { metrics["backtest_\(k)"] = v }
        for (k, v) in championFigures { metrics["champion_backtest_\(k)"] = v }
        let spec = try? StreamSpec.load(path: "\(job.archive)/\(job.stream)/stream.yaml")
        var trained = TrainedModel(
            name: job.name, kind: kind, stream: job.stream, archive: job.archive, window: (start, split), report: report,
            rows: rows, timeRange: nil, fitSeconds: 0, parameters: fitted.parameters, metrics: metrics,
            timeField: spec?.time, keyField: spec?.key)
        trained.extraProvenance = provenance
        let reason = refusals.isEmpty ? "job \(job.name): backtest gates passed" : "job \(job.name): kept as candidate: \(refusals.joined(separator: "; "))"
        var page = trained.report(title: "\(job.name): training report (job)")
        fitted.addToReport(&page)
        let keys = Set(challenger.keys).union(championFigures.keys).sorted()
        page.table(
            "Backtest on the held-out \(job.holdout ?? "1d") (\(slice.columns.count) events, \(slice.labelled) labelled anomalies)",
            ["figure", "challenger (this version)", "champion" + (champion.map { " (v\($0.version))" } ?? " (none)")],
            keys.map { k in [k, challenger[k].map { String(format: "%.4f", $0) } ?? "-", championFigures[k].map { String(format: "%.4f", $0) } ?? "-"] })
        page.table("Promotion", ["decision"], refusals.isEmpty ? [["promoted to \(alias)"]] : refusals.map { ["kept as candidate: \($0)"] })
        if let history { try? Self.plotFirstSeries(scratch, history: history, slice: slice, into: &page) }
        let meta = try withRegistryErrors {
            try trained.register(
                in: registry, promoteTo: refusals.isEmpty ? alias : "candidate", reason: reason, report: page, staging: staging
            ) { path in
                try fitted.save(path, trained.provenance)
            }
        }
        return Result(
            version: meta.version, champion: champion?.version, challenger: challenger, championFigures: championFigures,
            refusals: refusals, alias: alias)
    }

    /// The holdout of the first series against the new forecaster's one-step forecasts and band.
    static func plotFirstSeries(_ path: String, history: ForecastColumns, slice: HoldoutSlice, into page: inout TrainingReport) throws {
        let model = try SeasonalForecaster.load(from: path)
        var scorer = ForecastScorer(model: model)
        try scorer.warmUp(fromLast: 2 * 86_400_000, of: history)
        var out = ForecastScores()
        try scorer.score(slice.columns, into: &out)
        guard let first = slice.columns.seriesNames.first else { return }
        let rows = slice.columns.count
        let mine = (0..<rows).filter { slice.columns.seriesNames[Int(slice.columns.seriesCodes[$0])] == first && out.status[0][$0] == .scored }
        page.band(
            "Held-out \(model.fieldNames[0]) of series \(first): actual against the one-step forecast",
            actual: mine.map { slice.columns.fields[0][$0] }, forecast: mine.map { out.forecast[0][$0] },
            lower: mine.map { out.lower[0][$0] }, upper: mine.map { out.upper[0][$0] })
    }

    /// Why the challenger may not replace the champion; empty when it may.
    private func gates(kind: String, rows: Int, challenger: [String: Double], champion: [String: Double]) -> [String] {
        let p = job.promotion
        var out: [String] = []
        if let min = p?.minRows, rows < min { out.append("\(rows) training rows, fewer than min_rows \(min)") }
        let margin = p?.maxRegression ?? (kind == "forecast" ? 0.05 : 0.01)
        if let c = challenger["auc"], let b = champion["auc"], c < b - margin {
            out.append(String(format: "backtest AUC %.4f is worse than the champion's %.4f by more than %.3f", c, b, margin))
        }
        if let c = challenger["mase"], let b = champion["mase"], c > b + margin {
            out.append(String(format: "backtest MASE %.4f is worse than the champion's %.4f by more than %.3f", c, b, margin))
        }
        let band = p?.coverage ?? [0.9, 0.99]
        if kind == "forecast", band.count == 2, let c = challenger["coverage"],
            !(band[0]...band[1]).contains(c)
        {
            out.append(String(format: "held-out interval coverage %.3f is outside [%.2f, %.2f]", c, band[0], band[1]))
        }
        return out
    }

    func summarize(_ r: Result, extra: [String: Any] = [:]) throws {
        let (version, champion, challenger, championFigures, refusals, alias) =
            (r.version, r.champion, r.challenger, r.championFigures, r.refusals, r.alias)
        if json {
            try printJSON([
                "name": job.name, "version": version, "champion_version": champion as Any? ?? NSNull(),
                "backtest": challenger, "champion_backtest": championFigures, "promoted": refusals.isEmpty,
                "alias": refusals.isEmpty ? alias : "candidate", "refusals": refusals,
            ].merging(extra) { a, _ in a })
            if !refusals.isEmpty { throw ExitCode(Self.refusedStatus) }
            return
        }
        func figures(_ f: [String: Double]) -> String {
            f.sorted { $0.key < $1.key }.map { String(format: "%@ %.4f", $0.key, $0.value) }.joined(separator: ", ")
        }
        print("challenger \(job.name) v\(version): \(figures(challenger))")
        if let champion { print("champion   \(job.name) v\(champion): \(figures(championFigures))") } else { print("champion   none yet") }
        if refusals.isEmpty {
            print("promoted   v\(version) to \(alias)")
        } else {
            print("kept       v\(version) as candidate: \(refusals.joined(separator: "; "))")
        }
        if !refusals.isEmpty { throw ExitCode(Self.refusedStatus) }
    }
}
