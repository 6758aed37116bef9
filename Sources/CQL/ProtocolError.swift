/// A frame or message that does not follow the CQL native protocol v4 layouts.
public struct CQLProtocolError: Error, CustomStringConvertible, Equatable, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }

    static func truncated(_ what: String) -> CQLProtocolError {
        CQLProtocolError("truncated \(what)")
    }
}
