import Foundation

/// A sharded training run's staging directory as a reader sees it, without
/// the lock. What the files hold is the trainer's business (docs/registry.md);
/// the registry knows their names and when the run last staged anything.
public struct ShardRunState: Equatable, Sendable {
    public var run: String
    public var directory: String
    /// The names in the directory, sorted.
    public var files: [String]
    /// The newest modification time of the directory and its files.
    public var newest: Date

    public func read(_ file: String) -> Data? { FileManager.default.contents(atPath: "\(directory)/\(file)") }
}

extension Registry {
    /// The sharded training runs staged for `name`, by run name, merged ones
    /// included. A model with runs but no version yet is known here.
    public func shardRuns(of name: String) throws(RegistryError) -> [ShardRunState] {
        try checkModelOrRuns(name)
        return entries(layout.shards(name)).filter(RegistryName.isValid).sorted().compactMap { shardRunState(name, $0) }
    }

    /// Every model with a version or a staged shard run, sorted.
    public func namesWithVersionsOrShardRuns() -> [String] {
        entries(root).filter {
            RegistryName.isValid($0) && (isDirectory(layout.versions($0)) || isDirectory(layout.shards($0)))
        }.sorted()
    }

    func checkModelOrRuns(_ name: String) throws(RegistryError) {
        try RegistryName.check(name, what: "model name")
        guard isDirectory(layout.versions(name)) || isDirectory(layout.shards(name)) else {
            throw .unknownModel(name: name, known: names())
        }
    }

    func shardRunState(_ name: String, _ run: String) -> ShardRunState? {
        let directory = layout.shardRun(name, run)
        guard isDirectory(directory) else { return nil }
        let files = entries(directory).sorted()
        let times = ([directory] + files.map { "\(directory)/\($0)" }).compactMap {
            (try? FileManager.default.attributesOfItem(atPath: $0))?[.modificationDate] as? Date
        }
        return ShardRunState(run: run, directory: directory, files: files, newest: times.max() ?? .distantPast)
    }
}
