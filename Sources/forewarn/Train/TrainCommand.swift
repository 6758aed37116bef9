import ArgumentParser
import EventArchive
import Foundation
import ModelKinds
import ModelRegistry
import Training

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Fit a model on a window of the archive and register it as a new version.",
        discussion: """
            Reads the window [--from, --to) of a stream, fits, and registers the model as
            the next version of --name in the registry (./Models unless --registry or
            $FOREWARN_REGISTRY), with the archive parts it read and their sha256.
            --promote also points the production alias at it, unless the new version reads
            another stream or other fields than the alias's version (a scorer would refuse
            it): then it stays registered, the alias stays, exit 6; --force moves it anyway.
            --output writes a standalone model file instead. Corrupt archive parts are reported and skipped (exit 2),
            or stop the run with --strict.

            \(kindHelp)

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
              forewarn train --archive archive --stream meters --model forecast \\
                  --name meters-fc \\
                  --param cadence=5m --param period=1d,7d --fields kwh --promote
              forewarn train --job Jobs/meters-if.yaml --shard 0/4 --run nightly-0127
              forewarn train --archive archive --stream meters --name meters-ext \\
                  --param extended=true --param contamination=0.01 --seed 7 \\
                  --output ext.h5 --json
            """
    )

    /// Every kind's name and parameters, from the table of model kinds.
    static var kindHelp: String {
        ModelKinds.standard.all.map { kind in
            let names = ([kind.name] + kind.aliases).joined(separator: " or ")
            return "--model \(names) (--param key=value):\n  \(kind.summary)\n"
                + kind.parameterHelp.map { "  " + $0 }.joined(separator: "\n")
        }.joined(separator: "\n\n")
    }

    @Option(help: "Archive root directory.")
    var archive = "archive"

    @Option(help: "Stream name (a directory under the archive root).")
    var stream: String?

    @OptionGroup var window: TimeWindow

    @Option(help: "A training job file (Jobs/*.yaml): window, model, parameters and promotion gates; replaces the other options.")
    var job: String?

    @Option(help: ArgumentHelp("Model kind to fit: \(ModelKinds.standard.names.joined(separator: ", ")) (or an alias below).", valueName: "kind"))
    var model = "isolation-forest"

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

    @Flag(help: "With --promote: move the alias even onto a version that reads another stream or other fields than its target (the scorers' inputs changed too).")
    var force = false

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
        if force, !promote { throw ValidationError("--force only changes what --promote may do: add --promote") }
        if let shard {
            do { _ = try ShardSpec.parse(shard) } catch { throw ValidationError("\(error)") }
            if output != nil { throw ValidationError("--shard registers the merged model: drop --output") }
        } else if shardRun != nil {
            throw ValidationError("--run names a sharded run: give --shard I/N too")
        }
        if job == nil, stream == nil || name == nil { throw ValidationError("give --stream and --name (or --job FILE)") }
        do { _ = try ModelKinds.standard.kind(named: model) } catch { throw ValidationError("--model: \(error)") }
    }

    func run() throws {
        do { try train() } catch ArchiveError.unknownStream(let stream, let root) {
            // A usage error (docs/architecture.md, exit status 64), named with the streams there are.
            let known = StreamCatalog.streams(root: root)
            printError(
                "error: unknown stream '\(stream)' under \(root.path)" + (known.isEmpty ? " (the archive is empty)" : " (streams: \(known.joined(separator: ", ")))"))
            throw ExitCode(64)
        }
    }

    private func train() throws {
        let shard = try self.shard.map(ShardSpec.parse)
        let progress = ProgressDisplay(json: json)
        defer { progress.close() }
        if let job {
            var training = try ScheduledTraining(job: try JobSpec.load(path: job), defaultRegistry: registryRoot(nil))
            training.progress = progress
            return try withRegistryErrors {
                if let shard { return try JobReport(training: training, json: json).print(try training.runSharded(shard, run: shardRun), shard: shard) }
                try JobReport(training: training, json: json).print(try training.run())
            }
        }
        var request = try self.request()
        request.progress = progress
        if let shard {
            let outcome = try withRegistryErrors { try Trainer.trainShard(request, shard: shard, run: shardRun) }
            try TrainingPrinter(json: json).print(outcome, shard: shard, name: request.name, registry: registry.root)
            if let refusal = outcome.merged?.promotionRefusal { try refuse(refusal) }
            return
        }
        let outcome = try withRegistryErrors { try Trainer.train(request) }
        try TrainingPrinter(json: json).print(outcome, registry: registry.root, output: output)
        if let refusal = outcome.promotionRefusal { try refuse(refusal) }
        if !outcome.skippedParts.isEmpty { throw ExitCode(2) }
    }

    /// The version is registered but --promote did not move the alias: exit 6, as a job's kept candidate.
    private func refuse(_ refusal: String) throws {
        printError("error: \(refusal)")
        throw ExitCode(JobReport.refusedStatus)
    }

    /// The ad-hoc run the options describe.
    func request() throws -> TrainingRequest {
        let destination: TrainingRequest.Destination =
            output.map { .file($0) } ?? .registry(registry.open(), promoteTo: promote ? alias : nil, reason: reason)
        var r = TrainingRequest(
            archive: archive, stream: stream ?? "", name: name ?? "", kind: try ModelKinds.standard.kind(named: model),
            destination: destination)
        (r.from, r.to) = try window.bounds()
        r.settings = parameters
        r.seed = seed
        r.fields = fields.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        r.strict = strict
        r.forcePromotion = force
        return r
    }
}

/// The registry root: the option, else $FOREWARN_REGISTRY, else ./Models.
func registryRoot(_ option: String?) -> String {
    option ?? ProcessInfo.processInfo.environment["FOREWARN_REGISTRY"] ?? "Models"
}
