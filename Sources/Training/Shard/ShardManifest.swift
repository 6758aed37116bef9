import Foundation

/// `shard-<i>.json` in a run's staging directory: what shard i fitted, written
/// after its model (and row sample) files, so its presence means the shard is complete.
public struct ShardManifest: Codable, Sendable {
    var plan: ShardPlan
    var shard: Int
    /// Training rows and series of this shard (0 when no series hashed to it).
    var rows: Int
    var series: Int
    var timeMin: Int64?
    var timeMax: Int64?
    /// Isolation forest: rows in `shard-<i>.rows` (raw float64, row-major, little-endian).
    var sampleRows: Int
    /// Archive parts read, relative to the archive root or absolute, with the rows each delivered.
    var parts: [String]
    var partRows: [Int]
    var skippedParts: [String]
    var partCount: Int
    var fitSeconds: Double

    static func file(_ shard: Int) -> String { "shard-\(shard).json" }
    static func model(_ shard: Int) -> String { "shard-\(shard).h5" }
    static func sample(_ shard: Int) -> String { "shard-\(shard).rows" }

    public static func isManifest(_ file: String) -> Bool {
        file.hasPrefix("shard-") && file.hasSuffix(".json") && Int(file.dropFirst(6).dropLast(5)) != nil
    }

    var encoded: Data {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? e.encode(self)) ?? Data()
    }
}

/// `merged.json`: the version a run's merge registered.
public struct ShardMerged: Codable, Sendable {
    var version: Int
    public static let file = "merged.json"

    /// The version in a `merged.json`'s bytes, nil when there are none or they do not parse.
    public static func version(_ data: Data?) -> Int? {
        data.flatMap { try? JSONDecoder().decode(ShardMerged.self, from: $0) }?.version
    }
}
