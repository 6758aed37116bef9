import EventArchive
import Foundation
import ModelKinds

extension ShardPlan {
    /// Sharding splits a stream by its key; a stream without one is a single series.
    static func requireKey(archive: String, stream: String) throws {
        let spec = try? StreamSpec.load(path: "\(archive)/\(stream)/stream.yaml")
        guard let spec, spec.key != nil else {
            throw TrainingError(
                "--shard: stream \(stream) has no key field, so it is one series and cannot be split: train it without --shard")
        }
    }

    /// The newest event's time + 1 (the end of "everything"), and the oldest event's time.
    static func archiveSpan(archive: String, stream: String) throws -> (first: Int64, end: Int64)? {
        let parts = try ArchiveReader(root: URL(fileURLWithPath: archive), stream: stream).parts().parts
        guard let lo = parts.map(\.timeMin).min(), let hi = parts.map(\.timeMax).max() else { return nil }
        return (lo, hi + 1)
    }

    /// The kind of the plan's model, if it can be sharded.
    static func shardable(_ kind: any ModelKind, shard: ShardSpec) throws -> any ShardableModelKind {
        guard let shardable = kind as? any ShardableModelKind else {
            throw TrainingError("--shard \(shard.text): models of kind \(kind.name) cannot be trained in shards")
        }
        return shardable
    }
}
