import Basics

/// `--shard i/n`: this process fits the series whose key hashes to shard i of n.
public struct ShardSpec: Equatable, Sendable {
    public let index: Int
    public let count: Int

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    public static func parse(_ text: String) throws -> ShardSpec {
        let pieces = text.split(separator: "/", omittingEmptySubsequences: false)
        guard pieces.count == 2, let i = Int(pieces[0]), let n = Int(pieces[1]) else {
            throw TrainingError("--shard \(text): expected INDEX/COUNT, like 0/4")
        }
        guard n >= 1, n <= 4096 else { throw TrainingError("--shard \(text): the count must be in 1...4096") }
        guard i >= 0 else { throw TrainingError("--shard \(text): the index must be 0 or more") }
        guard i < n else { throw TrainingError("--shard \(text): the index must be below the count (0-based)") }
        return ShardSpec(index: i, count: n)
    }

    /// The shard of a series key: FNV-1a (64-bit) of its UTF-8 bytes, modulo
    /// the count. Stable across processes, machines and releases, unlike
    /// Swift's per-process seeded `Hasher`.
    public static func shard(of key: String, count: Int) -> Int {
        Int(FNV1a.hash64(key) % UInt64(count))
    }

    public func owns(_ key: String) -> Bool { Self.shard(of: key, count: count) == index }

    public var text: String { "\(index)/\(count)" }
}
