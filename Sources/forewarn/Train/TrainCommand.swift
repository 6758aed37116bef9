import AnomalyModels
import ArgumentParser
import EventArchive
import Foundation

/// The model kinds `forewarn train` fits.
enum ModelKindArgument: String, ExpressibleByArgument, CaseIterable {
    case isolationForest = "isolation-forest"
}

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Fit a model on a window of the archive and write it as a model file.",
        discussion: """
            Reads the window [--from, --to) of a stream, fits, and writes one self-sufficient
            HDF5 model file (layout: docs/formats.md). Corrupt archive parts are reported and
            skipped (exit 2), or stop the run with --strict.

            Isolation forest parameters (--param key=value, repeatable):
              trees=100  sample_size=256  max_depth=ceil(log2 sample_size)  extended=false
              contamination=auto|0.01  threshold=0.6  (threshold wins over contamination)

            Examples:
              forewarn train --archive archive --stream meters --model isolation-forest \\
                  --name meters-if --from 2026-01-01 --to 2026-01-14 --output meters-if.h5
              forewarn train --archive archive --stream meters --name meters-ext \\
                  --param extended=true --param contamination=0.01 --seed 7 --output ext.h5 --json
            """
    )

    @OptionGroup var location: ArchiveLocation
    @OptionGroup var window: TimeWindow

    @Option(help: "Model to fit.")
    var model: ModelKindArgument = .isolationForest

    @Option(help: "Model name, recorded in the file's provenance.")
    var name: String

    @Option(name: .customLong("param"), help: "A model parameter as key=value; repeatable.")
    var parameters: [String] = []

    @Option(help: "Random seed (same data, same seed: the same model). Overrides --param seed=.")
    var seed: UInt64?

    @Option(help: "Comma-separated fields to fit on (default: all of the stream's fields).")
    var fields: String?

    @Option(help: "Where to write the model file (replaced atomically).")
    var output: String

    @Flag(help: "Stop at the first corrupt archive part instead of skipping it.")
    var strict = false

    @Flag(help: "Print JSON instead of text.")
    var json = false

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
        var provenance: [String: String] = [
            "name": name, "stream": location.stream, "archive": location.archive, "rows": "\(data.features.rows)",
            "parts": "\(data.report.parts)", "created_at": EventTime.format(Int64(Date().timeIntervalSince1970 * 1000)),
            "forewarn_version": ForewarnVersion.string, "command": CommandLine.arguments.joined(separator: " "),
        ]
        if data.features.rows > 0 {
            provenance["time_min"] = EventTime.format(data.timeMin)
            provenance["time_max"] = EventTime.format(data.timeMax)
        }
        if let from { provenance["window_from"] = EventTime.format(from) }
        if let to { provenance["window_to"] = EventTime.format(to) }
        try forest.save(to: output, provenance: provenance)
        try report(forest, data: data, seconds: seconds)
        if !data.report.problems.isEmpty { throw ExitCode(2) }
    }

    private func report(_ forest: IsolationForest, data: TrainingData, seconds: Double) throws {
        if json {
            try printJSON([
                "name": name, "model": model.rawValue, "output": output, "rows": data.features.rows,
                "fields": forest.featureNames, "trees": forest.treeCount, "depth": forest.depth,
                "samples_per_tree": forest.samplesPerTree, "extended": forest.isExtended, "threshold": forest.threshold,
                "fit_seconds": seconds, "skipped_parts": data.report.problems.map { $0.url.path },
            ])
            return
        }
        print("trained \(name) (\(model.rawValue)) on \(data.features.rows) rows of \(location.stream) in \(data.report.parts) parts")
        print("fields     \(forest.featureNames.joined(separator: ", "))")
        print("trees      \(forest.treeCount) x depth \(forest.depth), \(forest.samplesPerTree) rows each\(forest.isExtended ? ", hyperplane cuts" : "")")
        print(String(format: "threshold  %.4f", forest.threshold))
        print(String(format: "fit        %.1f ms", seconds * 1000))
        print("wrote      \(output)")
    }
}
