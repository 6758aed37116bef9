/// FNV-1a, 64-bit (Fowler, Noll, Vo): a fast, stable, non-cryptographic hash.
/// Used wherever a value must hash the same in every process, machine and
/// release (archive spec hashes, shard assignment, the CQL test node's ids),
/// which Swift's per-process seeded `Hasher` does not.
public enum FNV1a {
    /// The standard 64-bit offset basis; other seeds give independent variants.
    public static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    public static let prime: UInt64 = 0x0000_0100_0000_01b3

    /// The hash of `bytes`, starting from `seed` (the offset basis for standard FNV-1a).
    public static func hash64(_ bytes: some Sequence<UInt8>, seed: UInt64 = offsetBasis) -> UInt64 {
        var h = seed
        for b in bytes { h = (h ^ UInt64(b)) &* prime }
        return h
    }

    /// The hash of a string's UTF-8 bytes.
    public static func hash64(_ text: String, seed: UInt64 = offsetBasis) -> UInt64 {
        hash64(text.utf8, seed: seed)
    }
}
