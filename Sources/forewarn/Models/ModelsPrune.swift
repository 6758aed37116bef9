import ArgumentParser
import Basics
import ModelRegistry
import Training

struct ModelsPrune: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Delete old versions and stale sharded training runs.",
        discussion: """
            --keep N: delete all but the newest N versions (aliased ones stay).
            --shard-runs-older-than AGE: delete 'train --shard' runs that never
            merged (a shard crashed, the Job was cancelled) and have staged
            nothing for AGE. Make AGE longer than your slowest shard's fit.
            Merged runs stay: they make a retried shard change nothing.
            Give one option or both; each removal is recorded in history.

            Examples:
              forewarn models prune meters --keep 5
              forewarn models prune meters --shard-runs-older-than 2d
              forewarn models prune meters --keep 1 --reason "disk full" --json
            """
    )

    @OptionGroup var options: RegistryOptions

    @Argument(help: "Model name.")
    var name: String

    @Option(help: "How many of the newest versions to keep (at least 1).")
    var keep: Int?

    @Option(help: ArgumentHelp("Delete unmerged shard runs idle this long (12h, 7d, 2w).", valueName: "age"))
    var shardRunsOlderThan: String?

    @Option(help: "Why, recorded in history.")
    var reason: String?

    func validate() throws {
        guard keep != nil || shardRunsOlderThan != nil else {
            throw ValidationError("nothing to prune: give --keep N (versions), --shard-runs-older-than AGE (stale shard runs), or both")
        }
        if let age = shardRunsOlderThan { _ = try Self.age(age) }
    }

    static func age(_ text: String) throws -> TimeSpan {
        try parseDuration(text, option: "--shard-runs-older-than", examples: "30m, 12h, 7d or 2w")
    }

    func run() throws {
        let registry = options.open()
        var output = PruneOutput(name: name)
        try withRegistryErrors {
            if let keep {
                output.removed = try registry.prune(name: name, keep: keep, reason: reason)
                output.kept = try registry.versions(of: name)
            }
            if let age = shardRunsOlderThan {
                let runs = try ShardRunSummary.prune(
                    registry, name: name, olderThan: try Self.age(age).seconds, described: age, reason: reason)
                (output.shardRunsRemoved, output.shardRunsKept) = (runs.removed, runs.kept)
            }
        }
        if options.json { return try printEncoded(output) }
        let list = { (v: [Int]) in v.isEmpty ? "none" : v.map { "v\($0)" }.joined(separator: " ") }
        if let removed = output.removed, let kept = output.kept {
            print("\(name): removed \(list(removed)); kept \(list(kept))")
        }
        guard let removedRuns = output.shardRunsRemoved, let keptRuns = output.shardRunsKept else { return }
        let merged = keptRuns.filter { $0.mergedVersion != nil }.count
        if removedRuns.isEmpty, keptRuns.count == merged { print("\(name): no unmerged shard runs") }
        for run in removedRuns { print("\(name): removed shard run \(run.run) (\(run.progress))") }
        for run in keptRuns where run.mergedVersion == nil {
            print("\(name): kept shard run \(run.run) (\(run.progress)): \(run.keptBecause ?? "")")
        }
        if merged > 0 { print("\(name): kept \(merged) merged shard run(s): a retried shard must find its run") }
    }
}

/// `models prune --json`: the version lists with --keep, the shard run lists with --shard-runs-older-than.
struct PruneOutput: Encodable {
    var name: String
    var removed: [Int]?
    var kept: [Int]?
    var shardRunsRemoved: [ShardRunSummary]?
    var shardRunsKept: [ShardRunSummary]?

    enum CodingKeys: String, CodingKey {
        case name, removed, kept, shardRunsRemoved = "shard_runs_removed", shardRunsKept = "shard_runs_kept"
    }
}
