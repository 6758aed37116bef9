/// Failures the client itself detects (as opposed to ERROR responses from a node).
public enum CQLClientError: Error, CustomStringConvertible, Sendable, Equatable {
    case connectFailed(String)
    case connectionClosed
    case connectionLost(String)
    case timedOut(seconds: Double)
    case noHostAvailable(String)
    case unexpectedResponse(String)
    case invalidValue(String)
    case authenticationRequired(String)
    case unsupportedProtocol(String)
    case retriesExhausted(attempts: Int, last: String)

    public var description: String {
        switch self {
        case .connectFailed(let why): "could not connect: \(why)"
        case .connectionClosed: "the connection closed before the response arrived"
        case .connectionLost(let why): "the connection was lost: \(why)"
        case .timedOut(let s): "no response within \(s) s"
        case .noHostAvailable(let why): "no host available: \(why)"
        case .unexpectedResponse(let what): "unexpected response: \(what)"
        case .invalidValue(let why): why
        case .authenticationRequired(let auth): "the node requires authentication (\(auth)) but no username/password was configured"
        case .unsupportedProtocol(let why): why
        case .retriesExhausted(let n, let last): "gave up after \(n) attempts; last error: \(last)"
        }
    }

    /// Whether another attempt, perhaps on another connection, may succeed.
    public var isTransient: Bool {
        switch self {
        case .connectFailed, .connectionClosed, .connectionLost, .timedOut, .noHostAvailable: true
        default: false
        }
    }
}
