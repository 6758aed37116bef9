/// The metrics listener's `host:port` (`metrics:` in the serve configuration, or `FOREWARN_METRICS`).
/// Parsed once, when the configuration is read, so `config check` refuses exactly what `serve` would.
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    /// 0 lets the system pick a free port.
    public var port: Int

    /// `host:port`, the host a name or an address (`[::1]` for IPv6); neither part may be empty.
    public init(parsing text: String) throws(ListenAddressError) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port)
        else { throw ListenAddressError(text: text) }
        var host = text[..<colon]
        if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        guard !host.isEmpty, !host.contains(where: \.isWhitespace) else { throw ListenAddressError(text: text) }
        self.host = String(host)
        self.port = port
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

public struct ListenAddressError: Error, CustomStringConvertible, Sendable {
    public var text: String
    public var description: String {
        "metrics listener '\(text)' must be host:port (for example 127.0.0.1:9464, or 0.0.0.0:9464 for every interface)"
    }
}
