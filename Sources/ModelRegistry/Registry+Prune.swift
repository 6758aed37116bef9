import DurableFiles
import Foundation

extension Registry {
    /// Removes all but the newest `keep` versions of `name`, never one that an
    /// alias points to (checked under the lock that every alias change takes,
    /// so an alias to a pruned version cannot arise). Each removed version is
    /// first renamed out of sight, then recorded, then deleted. Returns the
    /// removed versions, ascending.
    @discardableResult
    public func prune(name: String, keep: Int, reason: String? = nil) throws -> [Int] {
        guard keep >= 1 else { throw RegistryError.invalidArgument("--keep must be at least 1, not \(keep)") }
        try checkModel(name)
        return try RegistryLock.withLock(layout.lock(name)) {
            try recover(name)
            let all = versionsOnDisk(name)
            let protected = Set(all.suffix(keep)).union(try aliases(of: name).values)
            let doomed = all.filter { !protected.contains($0) }
            for version in doomed {
                let retired = "\(layout.versions(name))/.trash-\(version)"
                guard rename(layout.version(name, version), retired) == 0 else {
                    throw RegistryError.io(path: layout.version(name, version), reason: "cannot retire: \(errnoText())")
                }
                try durable { try Durable.fsync(layout.versions(name)) }
                try faultHook(.versionRetired)
                try record(name, .prune, from: version, reason: reason)
                try removeScratch(retired)
            }
            return doomed
        }
    }

    func removeScratch(_ path: String) throws {
        do { try FileManager.default.removeItem(atPath: path) } catch {
            throw RegistryError.io(path: path, reason: "cannot remove: \(error.localizedDescription)")
        }
    }
}
