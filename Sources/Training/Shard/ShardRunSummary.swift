import Foundation
import ModelRegistry

/// A sharded training run as `models show` and `models prune` report it,
/// read from the files `train --shard` stages (docs/registry.md).
public struct ShardRunSummary: Encodable, Sendable {
    public var run: String
    /// Shards whose manifest is staged, and the plan's shard count (nil without a readable plan.json).
    public var staged: Int
    public var planned: Int?
    /// The version the run was merged into; nil while it is pending.
    public var mergedVersion: Int?
    /// When the run last staged anything (RFC 3339), and how many seconds ago.
    public var newest: String
    public var ageSeconds: Int
    /// `models prune`: why the run was kept.
    public var keptBecause: String?

    enum CodingKeys: String, CodingKey {
        case run, staged, planned, newest
        case mergedVersion = "merged_version", ageSeconds = "age_seconds", keptBecause = "kept_because"
    }

    public init(_ state: ShardRunState, in registry: Registry, name: String) {
        run = state.run
        planned = state.read("plan.json").flatMap { try? ShardPlan.decode($0) }?.shards
        staged = state.files.filter(ShardManifest.isManifest).count
        mergedVersion = ShardMerged.version(state.read(ShardMerged.file))
            ?? registry.version(name: name, provenance: ShardedTraining.provenanceKey, is: state.run)
        let f = ISO8601DateFormatter()
        newest = f.string(from: state.newest)
        ageSeconds = max(0, Int(registry.clock().timeIntervalSince(state.newest)))
    }

    /// The runs of `name` not merged into a version yet.
    public static func pending(in registry: Registry, name: String) throws(RegistryError) -> [ShardRunSummary] {
        try registry.shardRuns(of: name).map { ShardRunSummary($0, in: registry, name: name) }.filter { $0.mergedVersion == nil }
    }

    /// "2 of 4 shards staged, idle 3h 5m".
    public var progress: String {
        "\(staged) of \(planned.map(String.init) ?? "?") shards staged, idle \(Self.age(ageSeconds))"
    }

    /// Seconds as its two largest units: "9d 4h", "3h 5m", "42s".
    public static func age(_ seconds: Int) -> String {
        let units = [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)]
        guard let first = units.firstIndex(where: { seconds >= $0.1 }) else { return "0s" }
        let (big, bigSize) = units[first]
        guard first + 1 < units.count else { return "\(seconds)\(big)" }
        let (small, smallSize) = units[first + 1]
        return "\(seconds / bigSize)\(big) \(seconds % bigSize / smallSize)\(small)"
    }

    /// Removes the runs of `name` that staged nothing for `seconds` and were never merged (a merged run
    /// is kept: a retried shard must find it); `described` is the age as the operator wrote it.
    public static func prune(_ registry: Registry, name: String, olderThan seconds: Double, described: String, reason: String?)
        throws -> (removed: [ShardRunSummary], kept: [ShardRunSummary])
    {
        var summaries: [String: ShardRunSummary] = [:]
        let decisions = try registry.pruneShardRuns(name: name, olderThan: seconds, reason: reason) { state in
            let summary = ShardRunSummary(state, in: registry, name: name)
            summaries[state.run] = summary
            return summary.mergedVersion.map { "merged into v\($0)" }
        }
        let removed = decisions.filter(\.removed).compactMap { summaries[$0.state.run] }
        let kept = decisions.filter { !$0.removed }.compactMap { decision in
            var summary = summaries[decision.state.run]
            summary?.keptBecause = decision.keptBecause ?? "staged something within \(described)"
            return summary
        }
        return (removed, kept)
    }
}
