import Basics

/// Which failures to try again, how often, and how long to wait between attempts
/// (exponential backoff with jitter, capped).
public struct RetryPolicy: Sendable {
    /// Attempts in all, the first included; `Int.max` retries until the task is cancelled.
    public var maxAttempts: Int
    public var initialBackoff: Duration
    public var maxBackoff: Duration
    public var multiplier: Double
    /// Fraction of each delay drawn at random, so many clients do not retry in step.
    public var jitter: Double

    public init(maxAttempts: Int = 5, initialBackoff: Duration = .milliseconds(50), maxBackoff: Duration = .seconds(5),
        multiplier: Double = 2, jitter: Double = 0.2) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.multiplier = multiplier
        self.jitter = min(max(jitter, 0), 1)
    }

    public static let `default` = RetryPolicy()
    public static let noRetries = RetryPolicy(maxAttempts: 1)

    /// Timeouts, overload, unavailable replicas, a node still bootstrapping and lost connections are
    /// worth another attempt; syntax, invalid, unauthorized and the like never are.
    public func isRetryable(_ error: Error) -> Bool {
        switch error {
        case let e as CQLServerError: e.isTransient
        case let e as CQLClientError: e.isTransient
        default: false
        }
    }

    /// The pause after the `attempt`-th failed attempt (1-based).
    public func delay(afterAttempt attempt: Int) -> Duration {
        let exponent = Double(max(0, min(attempt - 1, 60)))
        let base = min(initialBackoff.inSeconds * pow2(exponent), maxBackoff.inSeconds)
        let spread = base * jitter
        let seconds = base - spread + Double.random(in: 0...1) * spread
        return .nanoseconds(Int64(seconds * 1e9))
    }

    private func pow2(_ e: Double) -> Double {
        var r = 1.0
        for _ in 0..<Int(e) { r *= multiplier; if r > 1e9 { break } }
        return r
    }
}
