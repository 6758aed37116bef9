/// What a promote or rollback did to an alias.
public struct AliasChange: Codable, Equatable, Sendable {
    public var name: String
    public var alias: String
    /// The previous target; nil when the alias is new.
    public var from: Int?
    public var to: Int
    /// False when the alias already pointed at `to` (nothing was written or recorded).
    public var changed: Bool
}
