import DurableFiles
import Foundation

extension Registry {
    /// Points `alias` at `version` after checking the version's checksums and
    /// that its model loads; a damaged version is refused and the alias keeps
    /// its target. Unless `force`, a version that reads another stream or
    /// other fields than the alias's current target (`ModelShape`) is refused
    /// with `RegistryError.shapeChange`. The alias file is replaced atomically,
    /// then the change is appended to history.
    @discardableResult
    public func promote(name: String, version: Int, alias: String = "production", reason: String? = nil, force: Bool = false)
        throws -> AliasChange
    {
        try RegistryName.check(alias, what: "alias")
        try checkModel(name)
        return try RegistryLock.withLock(layout.lock(name)) {
            try recover(name)
            if !force, let from = try aliasTarget(name, alias), from != version {
                try checkVersion(name, version)
                let differences = ModelShape(try readMetadata(name, from)).differences(to: ModelShape(try readMetadata(name, version)))
                if !differences.isEmpty {
                    throw RegistryError.shapeChange(name: name, alias: alias, from: from, to: version, differences: differences)
                }
            }
            return try moveAlias(name, alias, to: version, action: .promote, reason: reason)
        }
    }

    /// Points `alias` back: at `version` when given, otherwise at the target it
    /// had before its current one (repeated rollbacks walk further back through
    /// the promotions recorded in history).
    @discardableResult
    public func rollback(name: String, alias: String = "production", to version: Int? = nil, reason: String? = nil)
        throws -> AliasChange
    {
        try RegistryName.check(alias, what: "alias")
        try checkModel(name)
        return try RegistryLock.withLock(layout.lock(name)) {
            try recover(name)
            guard let current = try aliasTarget(name, alias) else {
                throw RegistryError.unknownAlias(name: name, alias: alias, known: try aliases(of: name).keys.sorted())
            }
            let target = try version ?? previousTarget(name, alias, current: current)
            return try moveAlias(name, alias, to: target, action: .rollback, reason: reason)
        }
    }

    /// The alias's earlier target, from its promotions and rollbacks in history.
    private func previousTarget(_ name: String, _ alias: String, current: Int) throws -> Int {
        let stack = AliasStack(history: try HistoryLog.read(layout.history(name), name: name), alias: alias)
        guard let previous = stack.previous(before: current) else {
            throw RegistryError.noRollbackTarget(name: name, alias: alias, reason: "history records no earlier target")
        }
        guard versionsOnDisk(name).contains(previous) else {
            throw RegistryError.noRollbackTarget(name: name, alias: alias, reason: "its earlier target, version \(previous), was pruned")
        }
        return previous
    }

    /// Moves an alias; the caller holds the lock.
    func moveAlias(_ name: String, _ alias: String, to version: Int, action: HistoryEntry.Action, reason: String?)
        throws -> AliasChange
    {
        try checkVersion(name, version)
        let problems = versionProblems(name, version)
        guard problems.isEmpty else { throw RegistryError.damaged(problems) }
        let from = try aliasTarget(name, alias)
        guard from != version else { return AliasChange(name: name, alias: alias, from: from, to: version, changed: false) }
        try durable { try Durable.createDirectory(layout.aliases(name)) }
        try durable { try Durable.write(Data("\(version)\n".utf8), to: layout.alias(name, alias)) }
        try faultHook(.aliasWritten)
        try record(name, action, alias: alias, from: from, to: version, reason: reason)
        return AliasChange(name: name, alias: alias, from: from, to: version, changed: true)
    }
}

/// The targets an alias has had, replayed from history: a promote pushes its
/// target; a rollback to a target still on the stack pops back to it (any
/// other rollback pushes, like a promote).
struct AliasStack {
    private(set) var targets: [Int] = []

    init(history: [HistoryEntry], alias: String) {
        for entry in history where entry.alias == alias {
            guard let to = entry.to else { continue }
            if entry.action == .rollback, let i = targets.dropLast().lastIndex(of: to) {
                targets.removeSubrange((i + 1)...)
            } else if targets.last != to {
                targets.append(to)
            }
        }
    }

    /// The target before `current` (which should be the top).
    func previous(before current: Int) -> Int? {
        guard let i = targets.lastIndex(of: current), i > 0 else { return nil }
        return targets[i - 1]
    }
}
