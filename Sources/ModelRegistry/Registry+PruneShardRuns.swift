import DurableFiles
import Foundation

/// What `Registry.pruneShardRuns` did with one run.
public struct ShardRunDecision: Equatable, Sendable {
    public var state: ShardRunState
    public var removed: Bool
    /// Why a run was kept: the caller's reason, or nil when it staged something within the cut-off.
    public var keptBecause: String?
}

extension Registry {
    static let retiredRunPrefix = ".trash-"

    /// Removes each sharded training run of `name` that `keep` gives no reason
    /// to keep (it returns one for a merged run, say) and that has staged
    /// nothing for `olderThan` seconds. Runs are judged under the model's lock,
    /// the one every shard stages and merges under, so no run is removed from
    /// under a shard. Each removed run is renamed out of sight, recorded in
    /// history (a prune line with `shard_run`), then deleted. Returns every
    /// run's decision, by run name.
    public func pruneShardRuns(
        name: String, olderThan age: TimeInterval, reason: String? = nil, keep: (ShardRunState) -> String?
    ) throws -> [ShardRunDecision] {
        guard age > 0 else { throw RegistryError.invalidArgument("a shard run's age limit must be positive, not \(age)s") }
        try checkModelOrRuns(name)
        return try RegistryLock.withLock(layout.lock(name)) {
            if isDirectory(layout.versions(name)) { try recover(name) } else { try recoverShardRuns(name) }
            let cutoff = clock().addingTimeInterval(-age)
            return try entries(layout.shards(name)).filter(RegistryName.isValid).sorted().compactMap { run in
                guard let state = shardRunState(name, run) else { return nil }
                if let why = keep(state) { return ShardRunDecision(state: state, removed: false, keptBecause: why) }
                guard state.newest < cutoff else { return ShardRunDecision(state: state, removed: false, keptBecause: nil) }
                let retired = "\(layout.shards(name))/\(Self.retiredRunPrefix)\(run)"
                try retire(layout.shardRun(name, run), as: retired, .shardRunRetired) {
                    try record(name, .prune, reason: reason, shardRun: run)
                }
                return ShardRunDecision(state: state, removed: true, keptBecause: nil)
            }
        }
    }

    /// Finishes a prune of a shard run that a crash interrupted: records it,
    /// unless history's last line already does (runs are pruned one at a
    /// time, under the lock), and deletes it.
    func recoverShardRuns(_ name: String) throws {
        let retired = entries(layout.shards(name)).filter { $0.hasPrefix(Self.retiredRunPrefix) }
        guard !retired.isEmpty else { return }
        try HistoryLog.repairTail(layout.history(name))
        let last = try HistoryLog.read(layout.history(name), name: name).last
        for entry in retired {
            let run = String(entry.dropFirst(Self.retiredRunPrefix.count))
            if last?.action != .prune || last?.shardRun != run {
                try record(name, .prune, reason: "recovered: the run was removed but a crash kept it out of history", shardRun: run)
            }
            try removeScratch("\(layout.shards(name))/\(entry)")
        }
    }
}
