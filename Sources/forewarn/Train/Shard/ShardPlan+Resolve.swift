import AnomalyModels
import EventArchive
import Foundation

extension ShardPlan {
    /// Model parameters in one canonical spelling (sorted key=value, defaults
    /// and the seed spelled out), so equal settings compare equal.
    static func canonical(model: String, settings: [String], seed: UInt64?) throws -> [String] {
        switch model {
        case ModelKindArgument.isolationForest.rawValue:
            var p = try IsolationForestParameters(settings: settings)
            if let seed { p.seed = seed }
            return p.settings.map { "\($0.key)=\($0.value)" }.sorted()
        case ModelKindArgument.forecast.rawValue:
            return try ForecastParameters(settings: settings).settings.sorted()
        default:
            throw CommandFailure("unknown model '\(model)' (isolation-forest or forecast)")
        }
    }

    /// Sharding splits a stream by its key; a stream without one is a single series.
    static func requireKey(archive: String, stream: String) throws {
        let spec = try? StreamSpec.load(path: "\(archive)/\(stream)/stream.yaml")
        guard let spec, spec.key != nil else {
            throw CommandFailure(
                "--shard: stream \(stream) has no key field, so it is one series and cannot be split: train it without --shard")
        }
    }

    /// The newest event's time + 1 (the end of "everything"), and the oldest event's time.
    static func archiveSpan(archive: String, stream: String) throws -> (first: Int64, end: Int64)? {
        let parts = try ArchiveReader(root: URL(fileURLWithPath: archive), stream: stream).parts().parts
        guard let lo = parts.map(\.timeMin).min(), let hi = parts.map(\.timeMax).max() else { return nil }
        return (lo, hi + 1)
    }
}
