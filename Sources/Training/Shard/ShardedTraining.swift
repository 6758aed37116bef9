import Foundation
import ModelRegistry

/// One shard's part in a sharded training run (docs/operations.md, "Sharded
/// training"): agree on the run's plan, fit this shard's series, stage the
/// result in `<registry>/<name>/.shards/<run>/`, and, if that completes the
/// set, merge and register the run's one version. Every look at the staging
/// directory and the registry happens under the model's writer lock, so two
/// shards finishing at once, or a shard run twice, still make one version.
public struct ShardedTraining: Sendable {
    public enum Outcome: Sendable {
        /// This shard is staged; `present` of the run's shards are.
        case staged(present: Int)
        /// The run's version: registered now by this shard (`merged`), or before.
        case registered(version: Int, merged: Bool)
    }

    let registry: Registry
    let modelName: String
    let shard: ShardSpec
    /// The run's name (`--run`), or nil for the plan's default.
    let run: String?
    /// Whether this shard resolved its window on its own ("last 14d", no --to),
    /// and so takes the run's window when the first shard resolved another.
    let adoptWindow: Bool

    public static let provenanceKey = "shard_run"

    public func runName(_ plan: ShardPlan) -> String { run ?? plan.defaultRun }

    /// Agrees on the plan, then fits (`fit`, outside the lock) and stages; `merge` runs under the lock
    /// when this shard completes the set and returns the registered version.
    func run(
        _ mine: ShardPlan, fit: (ShardPlan) throws -> StagedShard,
        merge: (ShardPlan, [ShardManifest], ShardRun) throws -> Int
    ) throws -> (Outcome, ShardPlan) {
        let name = runName(mine)
        var plan = mine
        if let done = try withRun(name, { staging -> Int? in
            plan = try agree(mine, staging)
            return merged(staging)
        }) {
            return (.registered(version: done, merged: false), plan)
        }
        let staged = try fit(plan)
        let outcome = try withRun(name) { staging -> Outcome in
            plan = try agree(plan, staging)
            if let version = merged(staging) { return .registered(version: version, merged: false) }
            try staged.write(staging)
            try staging.write(staged.manifest.encoded, to: ShardManifest.file(shard.index))
            let manifests = (0..<plan.shards).compactMap { i in
                staging.read(ShardManifest.file(i)).flatMap { try? JSONDecoder().decode(ShardManifest.self, from: $0) }
            }.filter { $0.plan == plan }
            guard manifests.count == plan.shards else { return .staged(present: manifests.count) }
            let version = try registry.version(name: plan.name, provenance: Self.provenanceKey, is: staging.run)
                ?? merge(plan, manifests, staging)
            try staging.write(try JSONEncoder().encode(ShardMerged(version: version)), to: ShardMerged.file)
            for i in 0..<plan.shards {
                staging.remove(ShardManifest.model(i))
                staging.remove(ShardManifest.sample(i))
            }
            return .registered(version: version, merged: true)
        }
        return (outcome, plan)
    }

    private func withRun<T>(_ run: String, _ body: (ShardRun) throws -> T) throws -> T {
        try registry.withShardRun(name: modelName, run: run, body)
    }

    private func merged(_ staging: ShardRun) -> Int? {
        ShardMerged.version(staging.read(ShardMerged.file))
    }

    /// The run's plan: written by the first shard, compared by the others.
    private func agree(_ mine: ShardPlan, _ staging: ShardRun) throws -> ShardPlan {
        guard let data = staging.read("plan.json") else {
            try staging.write(mine.encoded, to: "plan.json")
            return mine
        }
        guard let theirs = try? ShardPlan.decode(data) else {
            throw TrainingError("\(staging.directory)/plan.json is unreadable: remove the run's directory and start the run again")
        }
        var plan = mine
        if adoptWindow { (plan.from, plan.to, plan.holdoutTo) = (theirs.from, theirs.to, theirs.holdoutTo) }
        if let difference = plan.difference(from: theirs) {
            throw TrainingError(
                "--shard \(shard.text): run \(staging.run) of \(staging.name) was planned differently: \(difference). "
                    + "Nothing was staged; give every shard the same options, or another --run")
        }
        return plan
    }
}

/// What a shard fitted, ready to be written into the run's staging directory.
struct StagedShard {
    var manifest: ShardManifest
    /// Writes the model and sample files (the manifest is written after them).
    var write: (ShardRun) throws -> Void
}
