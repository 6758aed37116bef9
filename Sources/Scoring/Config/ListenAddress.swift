/// The metrics listener's `host:port` (`metrics:` in the serve configuration).
public struct ListenAddress: Sendable, Equatable {
    public var host: String
    /// 0 lets the system pick a free port.
    public var port: Int

    public init(parsing text: String) throws(ListenAddressError) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port)
        else { throw ListenAddressError(text: text) }
        host = String(text[..<colon])
        self.port = port
    }
}

public struct ListenAddressError: Error, CustomStringConvertible, Sendable {
    public var text: String
    public var description: String { "metrics listener '\(text)' must be host:port (for example 127.0.0.1:9464)" }
}
