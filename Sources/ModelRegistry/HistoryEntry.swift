/// One line of `history.jsonl`: a register, promote, rollback or prune (of a
/// version, or of a sharded training run). Keys that do not apply are absent.
public struct HistoryEntry: Codable, Equatable, Sendable {
    public enum Action: String, Codable, Sendable {
        case register, promote, rollback, prune
    }

    /// RFC 3339, UTC, with milliseconds.
    public var time: String
    public var user: String
    public var action: Action
    /// The alias moved by a promote or rollback.
    public var alias: String?
    /// The version an alias left (nil when it was new), or the version a prune removed.
    public var from: Int?
    /// The version registered, or the one an alias now points to.
    public var to: Int?
    public var reason: String?
    /// For a register: SHA-256 of the version's `meta.json`, so tampering with it is detectable.
    public var metaSHA256: String?
    /// For a prune of a sharded training run (`from` is absent then): the run removed.
    public var shardRun: String?

    enum CodingKeys: String, CodingKey {
        case time, user, action, alias, from, to, reason, metaSHA256 = "meta_sha256", shardRun = "shard_run"
    }
}
