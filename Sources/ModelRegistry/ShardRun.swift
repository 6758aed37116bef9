import DurableFiles
import Foundation

/// The staging directory of one sharded training run,
/// `<root>/<name>/.shards/<run>/`, as seen by a caller holding the model's
/// writer lock (`Registry.withShardRun`). Files are written durably (temporary
/// file, fsync, rename, directory fsync), so a file is there whole or not at
/// all; what they hold is the caller's business (docs/registry.md).
public struct ShardRun {
    public let name: String
    public let run: String
    public let directory: String
    let registry: Registry

    public func path(_ file: String) -> String { "\(directory)/\(file)" }

    public func exists(_ file: String) -> Bool { FileManager.default.fileExists(atPath: path(file)) }

    public func read(_ file: String) -> Data? { FileManager.default.contents(atPath: path(file)) }

    public func write(_ data: Data, to file: String) throws {
        try durable { try Durable.write(data, to: path(file)) }
    }

    public func remove(_ file: String) { try? FileManager.default.removeItem(atPath: path(file)) }

    /// Registers a version while the lock is held (`Registry.register` would wait for it forever).
    public func register(_ registration: ModelRegistration, promoteTo alias: String?, reason: String?, force: Bool = false)
        throws -> ModelVersionMetadata
    {
        try registry.registerLocked(registration, promoteTo: alias, reason: reason, force: force)
    }
}

extension Registry {
    public static let shardsDirectory = ".shards"

    /// Runs `body` on run `run` of model `name` under the model's writer lock,
    /// creating the run's staging directory if it is not there. `run` must be a valid
    /// registry name (letters, digits, `-`, `_`).
    public func withShardRun<T>(name: String, run: String, _ body: (ShardRun) throws -> T) throws -> T {
        try RegistryName.check(name, what: "model name")
        try RegistryName.check(run, what: "shard run")
        let directory = layout.shardRun(name, run)
        try durable { try Durable.createDirectory(layout.shards(name)) }
        return try RegistryLock.withLock(layout.lock(name)) {
            // Created under the lock: a prune may have removed the run while this shard waited for it.
            try durable { try Durable.createDirectory(directory) }
            return try body(ShardRun(name: name, run: run, directory: directory, registry: self))
        }
    }

    /// The version registered with provenance `key` = `value`, if any (newest first).
    public func version(name: String, provenance key: String, is value: String) -> Int? {
        for v in versionsOnDisk(name).sorted(by: >) {
            if let meta = try? readMetadata(name, v), meta.provenance[key] == value { return v }
        }
        return nil
    }
}
