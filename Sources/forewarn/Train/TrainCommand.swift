import AnomalyModels
import ArgumentParser
import EventArchive
import Foundation
import ModelRegistry

/// The model kinds `forewarn train` fits.
enum ModelKindArgument: String, ExpressibleByArgument, CaseIterable {
    case isolationForest = "isolation-forest"
    case forecast
}

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Fit a model on a window of the archive and register it as a new version.",
        discussion: """
            Reads the window [--from, --to) of a stream, fits, and registers the model as
            the next version of --name in the registry (./Models unless --registry or
            $FOREWARN_REGISTRY), with the archive parts it read and their sha256.
            --promote also points the production alias at it. --output writes a standalone
            model file instead. Corrupt archive parts are reported and skipped (exit 2),
            or stop the run with --strict.

            Seasonal forecaster parameters (--model forecast):
              cadence=5m  period=1d,7d  harmonics=4/8,0/3 (per period, candidates split by /)
              lags=0,3  ridge=1e-4,1e-2  coverage=0.95  threshold=5 (robust sigmas that flag)
              aggregation=mean|sum|last|count  (several values: chosen by rolling-origin validation)

            Isolation forest parameters (--param key=value, repeatable):
              trees=100  sample_size=256  max_depth=ceil(log2 sample_size)  extended=false
              contamination=0.01 (share of training rows flagged; auto: scikit-learn's fixed 0.5)
              threshold=0.6 (a fixed score threshold; wins over contamination)

            Scheduled training uses a job file: it holds out the end of the window,
            backtests the new version against the production one there, registers it with
            both sets of figures, and promotes it only when the job's gates pass (else it
            stays 'candidate', exit 6).

            Sharding (--shard I/N, with or without --job): each of N processes fits
            the series whose key hashes to shard I and stages its part in the
            registry; the last to finish merges them into one version. A shard
            that leaves the merge to others exits 0. Give every shard the same
            options, and --run NAME when a scheduler starts them (docs/operations.md).

            Examples:
              forewarn train --job Jobs/meters-if.yaml
              forewarn train --archive archive --stream meters --name meters-if \\
                  --from 2026-01-01 --to 2026-01-14 --promote
              forewarn train --archive archive --stream meters --model forecast --name meters-fc \\
                  --param cadence=5m --param period=1d,7d --fields kwh --promote
              forewarn train --job Jobs/meters-if.yaml --shard 0/4 --run nightly-0127
              forewarn train --archive archive --stream meters --name meters-ext \\
                  --param extended=true --param contamination=0.01 --seed 7 \\
                  --output ext.h5 --json
            """
    )

    @Option(help: "Archive root directory.")
    var archive = "archive"

    @Option(help: "Stream name (a directory under the archive root).")
    var stream: String?

    @OptionGroup var window: TimeWindow

    @Option(help: "A training job file (Jobs/*.yaml): window, model, parameters and promotion gates; replaces the other options.")
    var job: String?

    @Option(help: "Model to fit.")
    var model: ModelKindArgument = .isolationForest

    @Option(help: "Model name: the registry entry the new version joins.")
    var name: String?

    @Option(name: .customLong("param"), help: "A model parameter as key=value; repeatable.")
    var parameters: [String] = []

    @Option(help: "Random seed (same data, same seed: the same model). Overrides --param seed=.")
    var seed: UInt64?

    @Option(help: "Comma-separated fields to fit on (default: all of the stream's fields).")
    var fields: String?

    @OptionGroup var registry: RegistryLocation

    @Flag(help: "Point the production alias (or --alias) at the new version.")
    var promote = false

    @Option(help: "The alias --promote moves.")
    var alias = "production"

    @Option(help: "Why this version exists, recorded in the registry history.")
    var reason: String?

    @Option(help: "Write a standalone model file here instead of registering (replaced atomically).")
    var output: String?

    @Flag(help: "Stop at the first corrupt archive part instead of skipping it.")
    var strict = false

    @Option(help: ArgumentHelp(
        "Fit only the series whose key hashes to shard I of N (0-based); the shard that completes the set merges them into one version.",
        valueName: "I/N"))
    var shard: String?

    @Option(name: .customLong("run"), help: "Name of a sharded run, the same for all its shards (default: from the window).")
    var shardRun: String?

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func validate() throws {
        if output != nil, promote { throw ValidationError("--promote needs the registry: drop --output") }
        if let shard {
            _ = try ShardSpec.parse(shard)
            if output != nil { throw ValidationError("--shard registers the merged model: drop --output") }
        } else if shardRun != nil {
            throw ValidationError("--run names a sharded run: give --shard I/N too")
        }
        if job == nil, stream == nil || name == nil { throw ValidationError("give --stream and --name (or --job FILE)") }
    }

    func run() throws {
        let shard = try self.shard.map(ShardSpec.parse)
        if let job { return try TrainJob(job: try JobSpec.load(path: job), json: json, shard: shard, shardRun: shardRun).run() }
        if let shard { return try runSharded(shard) }
        let name = self.name ?? "", location = (archive: archive, stream: stream ?? "")
        let (from, to) = try window.bounds()
        let wanted = fields.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        let fitted: FittedModel
        let report: ReadReport
        let rows: Int
        var timeRange: (Int64, Int64)?
        let (fit, seconds) = try timed { () throws -> (FittedModel, ReadReport, Int, (Int64, Int64)?) in
            switch model {
            case .isolationForest:
                let data = try TrainingData.read(
                    archive: location.archive, stream: location.stream, fields: wanted, from: from, to: to, strict: strict)
                return (try .isolationForest(data, settings: parameters, seed: seed), data.report,
                    data.features.rows, data.features.rows > 0 ? (data.timeMin, data.timeMax) : nil)
            case .forecast:
                let data = try ForecastTrainingData.read(
                    archive: location.archive, stream: location.stream, fields: wanted, from: from, to: to, strict: strict)
                let times = data.columns.time
                return (try .forecaster(data, settings: parameters), data.report, data.columns.count,
                    times.min().flatMap { lo in times.max().map { (lo, $0) } })
            }
        }
        (fitted, report, rows) = (fit.0, fit.1, fit.2)
        timeRange = fit.3
        for problem in report.problems { printError("skipped corrupt part: \(problem)") }
        if !json { for note in fitted.notes { printError("note: \(note)") } }
        let spec = try? StreamSpec.load(path: "\(location.archive)/\(location.stream)/stream.yaml")
        let trained = TrainedModel(
            name: name, kind: model.rawValue, stream: location.stream, archive: location.archive, window: (from, to),
            report: report, rows: rows, timeRange: timeRange, fitSeconds: seconds, parameters: fitted.parameters,
            metrics: fitted.metrics, timeField: spec?.time, keyField: spec?.key)
        var outcome: [String: Any] = [:]
        if let output {
            try fitted.save(output, trained.provenance)
            outcome["output"] = output
        } else {
            let root = registry.root
            let meta = try withRegistryErrors {
                var report = trained.report(title: "\(name): training report")
                fitted.addToReport(&report)
                return try trained.register(
                    in: Registry(root: root), promoteTo: promote ? alias : nil, reason: reason, report: report
                ) { path in
                    try fitted.save(path, trained.provenance)
                }
            }
            outcome["registry"] = root
            outcome["version"] = meta.version
            if promote { outcome["promoted_to"] = alias }
        }
        try self.report(fitted, trained: trained, outcome: outcome)
        if !report.problems.isEmpty { throw ExitCode(2) }
    }

    func report(_ fitted: FittedModel, trained: TrainedModel, outcome: [String: Any]) throws {
        let name = trained.name
        if json {
            try printJSON(
                outcome.merging(fitted.json) { a, _ in a }.merging([
                    "name": name, "model": model.rawValue, "rows": trained.rows, "fit_seconds": trained.fitSeconds,
                    "metrics": trained.metrics.filter { $0.value.isFinite }, "parameters": trained.parameters,
                    "skipped_parts": trained.report.problems.map { $0.url.path },
                ]) { a, _ in a })
            return
        }
        print("trained \(name) (\(model.rawValue)) on \(trained.rows) rows of \(trained.stream) in \(trained.report.parts) parts")
        for line in fitted.lines { print(line) }
        print(String(format: "fit        %.1f ms (with reading the archive)", trained.fitSeconds * 1000))
        if let output = outcome["output"] as? String { print("wrote      \(output)") }
        if let version = outcome["version"] as? Int {
            print("registered \(name) version \(version) in \(outcome["registry"] ?? "")" + (promote ? ", promoted to \(alias)" : ""))
        }
        if let run = outcome["run"] as? String { print("merged     \(outcome["shards"] ?? "") shards of run \(run)") }
    }
}

/// The registry root: the option, else $FOREWARN_REGISTRY, else ./Models.
func registryRoot(_ option: String?) -> String {
    option ?? ProcessInfo.processInfo.environment["FOREWARN_REGISTRY"] ?? "Models"
}
