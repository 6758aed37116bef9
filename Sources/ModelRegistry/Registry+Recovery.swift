import Foundation

extension Registry {
    /// Finishes what an interrupted writer left, before any new mutation (the
    /// caller holds the lock): removes scratch files, cuts a torn history
    /// line, finishes an interrupted prune of a shard run, and appends the
    /// history lines a crash kept from being written, so history again
    /// accounts for every version and alias on disk. Each appended line says
    /// it was recovered.
    func recover(_ name: String) throws {
        for entry in entries(layout.versions(name)) where entry.hasPrefix(".") {
            try removeScratch("\(layout.versions(name))/\(entry)")
        }
        for entry in entries(layout.aliases(name)) where !RegistryName.isValid(entry) {
            try removeScratch("\(layout.aliases(name))/\(entry)")
        }
        try HistoryLog.repairTail(layout.history(name))
        try recoverShardRuns(name)
        let history = try HistoryLog.read(layout.history(name), name: name)
        let registered = Set(history.filter { $0.action == .register }.compactMap(\.to))
        let pruned = Set(history.filter { $0.action == .prune }.compactMap(\.from))
        let onDisk = versionsOnDisk(name)
        let note = "recovered: the change was on disk but a crash kept it out of history"
        for version in onDisk where !registered.contains(version) {
            try record(name, .register, to: version, reason: note, metaSHA256: try? SHA256.hex(ofFile: layout.meta(name, version)))
        }
        for version in registered.subtracting(pruned).subtracting(onDisk).sorted() {
            try record(name, .prune, from: version, reason: note)
        }
        for (alias, target) in try aliases(of: name).sorted(by: { $0.key < $1.key }) {
            let stack = AliasStack(history: history, alias: alias).targets
            guard stack.last != target else { continue }
            // A move back to an earlier target replays as the rollback it most likely was.
            let action: HistoryEntry.Action = stack.dropLast().contains(target) ? .rollback : .promote
            try record(name, action, alias: alias, from: stack.last, to: target, reason: note)
        }
    }
}
