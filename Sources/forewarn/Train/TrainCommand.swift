import AnomalyModels
import ArgumentParser
import EventArchive
import Foundation
import ModelRegistry

/// The model kinds `forewarn train` fits.
enum ModelKindArgument: String, ExpressibleByArgument, CaseIterable {
    case isolationForest = "isolation-forest"
}

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Fit a model on a window of the archive and register it as a new version.",
        discussion: """
            Reads the window [--from, --to) of a stream, fits, and registers the model as the
            next version of --name in the registry (./Models unless --registry or
            $FOREWARN_REGISTRY), with the archive parts it read and their sha256. --promote
            also points the production alias at it. --output writes a standalone model file
            instead. Corrupt archive parts are reported and skipped (exit 2), or stop the run
            with --strict.

            Isolation forest parameters (--param key=value, repeatable):
              trees=100  sample_size=256  max_depth=ceil(log2 sample_size)  extended=false
              contamination=0.01 (share of training rows flagged; auto: scikit-learn's fixed 0.5)
              threshold=0.6 (a fixed score threshold; wins over contamination)

            Examples:
              forewarn train --archive archive --stream meters --name meters-if \\
                  --from 2026-01-01 --to 2026-01-14 --promote
              forewarn train --archive archive --stream meters --name meters-ext \\
                  --param extended=true --param contamination=0.01 --seed 7 --output ext.h5 --json
            """
    )

    @OptionGroup var location: ArchiveLocation
    @OptionGroup var window: TimeWindow

    @Option(help: "Model to fit.")
    var model: ModelKindArgument = .isolationForest

    @Option(help: "Model name: the registry entry the new version joins.")
    var name: String

    @Option(name: .customLong("param"), help: "A model parameter as key=value; repeatable.")
    var parameters: [String] = []

    @Option(help: "Random seed (same data, same seed: the same model). Overrides --param seed=.")
    var seed: UInt64?

    @Option(help: "Comma-separated fields to fit on (default: all of the stream's fields).")
    var fields: String?

    @Option(help: ArgumentHelp("Registry root directory (default: $FOREWARN_REGISTRY, else Models).", valueName: "dir"))
    var registry: String?

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

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func validate() throws {
        if output != nil, promote { throw ValidationError("--promote needs the registry: drop --output") }
    }

    func run() throws {
        let (from, to) = try window.bounds()
        var p = try IsolationForestParameters(settings: parameters)
        if let seed { p.seed = seed }
        let wanted = fields.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        let data = try TrainingData.read(
            archive: location.archive, stream: location.stream, fields: wanted, from: from, to: to, strict: strict)
        for problem in data.report.problems { printError("skipped corrupt part: \(problem)") }
        let (forest, seconds) = try timed {
            try IsolationForest.fit(data.features, featureNames: data.fieldNames, parameters: p)
        }
        if data.features.rows < p.sampleSize, !json {
            printError("note: \(data.features.rows) training rows, fewer than sample_size \(p.sampleSize): each tree uses all of them")
        }
        let trained = TrainedModel(
            name: name, kind: model.rawValue, stream: location.stream, archive: location.archive, window: (from, to),
            data: data, fitSeconds: seconds, parameters: p.settings,
            metrics: forest.trainingMetrics(on: data.features))
        var outcome: [String: Any] = [:]
        if let output {
            try forest.save(to: output, provenance: trained.provenance)
            outcome["output"] = output
        } else {
            let root = registryRoot(registry)
            let meta = try withRegistryErrors {
                try trained.register(in: Registry(root: root), promoteTo: promote ? alias : nil, reason: reason) { path in
                    try forest.save(to: path, provenance: trained.provenance)
                }
            }
            outcome["registry"] = root
            outcome["version"] = meta.version
            if promote { outcome["promoted_to"] = alias }
        }
        try report(forest, trained: trained, outcome: outcome)
        if !data.report.problems.isEmpty { throw ExitCode(2) }
    }

    private func report(_ forest: IsolationForest, trained: TrainedModel, outcome: [String: Any]) throws {
        if json {
            try printJSON(
                outcome.merging([
                    "name": name, "model": model.rawValue, "rows": trained.data.features.rows,
                    "fields": forest.featureNames, "trees": forest.treeCount, "depth": forest.depth,
                    "samples_per_tree": forest.samplesPerTree, "extended": forest.isExtended,
                    "threshold": forest.threshold, "fit_seconds": trained.fitSeconds, "metrics": trained.metrics,
                    "skipped_parts": trained.data.report.problems.map { $0.url.path },
                ]) { a, _ in a })
            return
        }
        let d = trained.data
        print("trained \(name) (\(model.rawValue)) on \(d.features.rows) rows of \(location.stream) in \(d.report.parts) parts")
        print("fields     \(forest.featureNames.joined(separator: ", "))")
        print("trees      \(forest.treeCount) x depth \(forest.depth), \(forest.samplesPerTree) rows each\(forest.isExtended ? ", hyperplane cuts" : "")")
        print(String(format: "threshold  %.4f (flags %.2f%% of the training rows)", forest.threshold, 100 * (trained.metrics["train_anomaly_rate"] ?? 0)))
        print(String(format: "fit        %.1f ms", trained.fitSeconds * 1000))
        if let output = outcome["output"] as? String { print("wrote      \(output)") }
        if let version = outcome["version"] as? Int {
            print("registered \(name) version \(version) in \(outcome["registry"] ?? "")" + (promote ? ", promoted to \(alias)" : ""))
        }
    }
}

/// The registry root: the option, else $FOREWARN_REGISTRY, else ./Models.
func registryRoot(_ option: String?) -> String {
    option ?? ProcessInfo.processInfo.environment["FOREWARN_REGISTRY"] ?? "Models"
}
