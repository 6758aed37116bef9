import ArgumentParser
import Foundation
import ModelRegistry
import Training

struct ModelsShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a version's metadata and metrics (the latest by default), and pending shard runs.",
        discussion: """
            A version that fails the checks of `models verify` (a file modified, truncated
            or missing, a model that does not load) is shown as damaged, each problem on
            its own line (`problems` in --json); it is still shown, with exit status 0.

            Running scorers record the version they really serve (`served`): a line
            says when it differs from the one its alias names (the scorer refused the
            promoted version and kept the old one), or when a scorer has not been heard
            from for 3 minutes.

            Also lists pending sharded training runs (staged, not merged):
            shards staged of planned, and how long each has been idle. Remove
            stale ones with 'models prune NAME --shard-runs-older-than AGE'.

            Examples:
              forewarn models show meters
              forewarn models show meters --version 3
              forewarn models show meters --alias production --json
            """
    )

    @OptionGroup var options: RegistryOptions

    @Argument(help: "Model name.")
    var name: String

    @Option(help: "Version number.")
    var version: Int?

    @Option(help: "Show the version this alias points to.")
    var alias: String?

    struct Output: Encodable {
        /// Absent when the model has no version yet, only pending shard runs.
        var metadata: ModelVersionMetadata?
        var aliases: [String]
        var directory: String?
        var pendingShardRuns: [ShardRunSummary]
        /// What `models verify` finds wrong with the version; empty when it is sound.
        var problems: [RegistryProblem] = []
        /// What each running scorer of the model serves, against what its alias names.
        var serving: [ServingRecord] = []

        enum CodingKeys: String, CodingKey {
            case metadata, aliases, directory, problems, serving, pendingShardRuns = "pending_shard_runs"
        }
    }

    func validate() throws {
        if version != nil, alias != nil { throw ValidationError("give --version or --alias, not both") }
    }

    func run() throws {
        let registry = options.open()
        let output = try withRegistryErrors {
            let pending = try ShardRunSummary.pending(in: registry, name: name)
            if version == nil, alias == nil, !pending.isEmpty, !registry.names().contains(name) {
                return Output(metadata: nil, aliases: [], directory: nil, pendingShardRuns: pending)
            }
            let aliases = try registry.aliases(of: name)
            var chosen = try registry.versions(of: name).last
            if let version { chosen = version }
            if let alias { chosen = try registry.resolve(name: name, alias: alias).version }
            guard let chosen else { throw RegistryError.invalidArgument("model '\(name)' has no versions yet") }
            let meta = try registry.metadata(name: name, version: chosen)
            return Output(
                metadata: meta, aliases: aliases.filter { $0.value == chosen }.keys.sorted(),
                directory: try registry.versionDirectory(name: name, version: chosen), pendingShardRuns: pending,
                problems: try registry.problems(name: name, version: chosen), serving: registry.serving(of: name))
        }
        if options.json { return try printEncoded(output) }
        printTable(rows(output))
    }

    private func rows(_ o: Output) -> [[String]] {
        let runs = o.pendingShardRuns.map { ["shard run \($0.run)", "pending: \($0.progress)"] }
        guard let m = o.metadata, let directory = o.directory else { return [["model", "\(name) (no versions yet)"]] + runs }
        var rows: [[String]] = [
            ["model", "\(m.name) v\(m.version)" + (o.aliases.isEmpty ? "" : " (\(o.aliases.joined(separator: ", ")))")],
        ]
        rows += o.problems.map { ["damaged", "\($0.file ?? "version"): \($0.reason)"] }
        rows += [
            ["kind", m.modelKind], ["created", "\(m.createdAt) by \(m.createdBy), forewarn \(m.forewarnVersion)"],
            ["rows", "\(m.rowCount) from \(m.partitions.count) archive parts"],
        ]
        if let w = m.trainingWindow { rows.append(["window", "\(w.from) .. \(w.to)"]) }
        rows += m.parameters.sorted { $0.key < $1.key }.map { ["param \($0.key)", $0.value] }
        rows += m.metrics.sorted { $0.key < $1.key }.map { ["metric \($0.key)", formatMetric($0.value)] }
        rows += m.provenance.sorted { $0.key < $1.key }.map { ["provenance \($0.key)", $0.value] }
        rows += m.files.sorted { $0.key < $1.key }.map { ["file \($0.key)", "\($0.value.bytes) bytes, sha256 \($0.value.sha256)"] }
        rows.append(["directory", directory])
        let now = Date().timeIntervalSince1970
        for s in o.serving {
            let age = "\(Int(max(0, now - s.updatedAt))) s ago"
            let alias = s.aliasVersion.map { "\(s.alias) names v\($0)" } ?? "\(s.alias) unreadable"
            let state = s.isStale(now: now) ? "stale: no word for \(age), the scorer may have died"
                : s.differs ? "DIFFERS from the alias (\(alias)): the scorer refused it, see its log" : "as the alias names"
            rows.append(["served", "v\(s.version) by \(s.instance) (\(age)): \(state)"])
        }
        return rows + runs
    }
}

/// A metric as people read it: up to 6 significant digits.
func formatMetric(_ value: Double) -> String {
    String(format: "%.6g", value)
}
