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
                try retire(layout.version(name, version), as: "\(layout.versions(name))/.trash-\(version)", .versionRetired) {
                    try record(name, .prune, from: version, reason: reason)
                }
            }
            return doomed
        }
    }

    /// Renames `path` out of sight as `retired` (in the same directory),
    /// fsyncs the directory, records the removal, then deletes it.
    func retire(_ path: String, as retired: String, _ fault: FaultPoint, record: () throws -> Void) throws {
        guard rename(path, retired) == 0 else { throw RegistryError.io(path: path, reason: "cannot retire: \(errnoText())") }
        try durable { try Durable.fsync(Durable.directory(of: path)) }
        try faultHook(fault)
        try record()
        try removeScratch(retired)
    }

    func removeScratch(_ path: String) throws {
        do { try FileManager.default.removeItem(atPath: path) } catch {
            throw RegistryError.io(path: path, reason: "cannot remove: \(error.localizedDescription)")
        }
    }
}
