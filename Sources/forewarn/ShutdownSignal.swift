import UnixSignals

/// SIGINT (Ctrl-C) and SIGTERM, the one way every long-running command learns
/// it should stop: `kafka-dev`, `cassandra node`, and `serve` (whose
/// `ServiceGroup` traps `ShutdownSignal.trapped` itself, through the same
/// ServiceLifecycle signal sequence). Built on ServiceLifecycle's
/// `UnixSignalsSequence`, so the wait is async and holds no thread.
struct ShutdownSignal: Sendable {
    /// The signals that ask for a graceful stop.
    static let trapped: [UnixSignal] = [.sigint, .sigterm]

    private let signals: UnixSignalsSequence

    /// Traps the signals from now on: from here they no longer kill the
    /// process, they are queued for `wait()`. Trap before announcing readiness
    /// (printing an address), so a signal sent right after it is not lost.
    static func trap() async -> ShutdownSignal {
        ShutdownSignal(signals: await UnixSignalsSequence(trapping: trapped))
    }

    /// The first signal since `trap()` (at once if one came already); nil when
    /// the waiting task is cancelled first.
    func wait() async -> UnixSignal? {
        for await signal in signals { return signal }
        return nil
    }
}
