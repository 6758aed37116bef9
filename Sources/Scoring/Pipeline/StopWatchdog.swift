import Foundation
import Logging
import Synchronization

/// The stop's last bound, kept on a thread of its own. Each step of a stop is bounded by timers on Swift's
/// cooperative pool; when that pool's threads are all held by calls that do not return (a file system
/// stalling an fsync, a C library waiting on a dead peer), those timers cannot fire, and a stop that was
/// meant to take `shutdown_timeout` would hang for as long as the stall lasts. So a stop arms this watchdog,
/// whose thread is an OS thread outside the pool: if the process is still alive `bound` later, it logs what it
/// knows and ends the process with `_exit`, as a kill -9 would (no atexit handlers, which could wait on the
/// same stalled library). What that leaves is what a crash leaves, which serve recovers from: in-progress
/// archive parts that repair finishes, offsets not committed that are scored again, a transaction the
/// broker aborts.
final class StopWatchdog: Sendable {
    private struct State {
        var status: Int32
        var reason: String
        var disarmed = false
    }

    private let state: Mutex<State>
    private let wake = DispatchSemaphore(value: 0)

    /// Starts the watchdog: `expire(status)` runs on its thread when `disarm` was not called within `bound`.
    init(
        bound: Duration, status: Int32, reason: String, logger: Logger,
        expire: @escaping @Sendable (Int32) -> Void = StopWatchdog.exitNow
    ) {
        state = Mutex(State(status: status, reason: reason))
        let thread = Thread { [self] in
            let (seconds, attoseconds) = bound.components
            guard wake.wait(timeout: .now() + Double(seconds) + Double(attoseconds) * 1e-18) == .timedOut else { return }
            let (stuck, status, reason) = state.withLock { ($0.disarmed == false, $0.status, $0.reason) }
            guard stuck else { return }
            logger.critical(
                "the stop overran its bound; ending the process now, as a crash would (repair finishes archive parts, uncommitted offsets are scored again)",
                metadata: ["bound": "\(bound)", "exit_status": "\(status)", "stopping_because": "\(reason)"])
            expire(status)
        }
        thread.name = "forewarn-stop-watchdog"
        thread.start()
    }

    /// The status the process ends with if it is still stuck when the bound runs out (the stop's outcome, once
    /// it is known).
    func update(status: Int32, reason: String) {
        state.withLock { s in
            s.status = status
            s.reason = reason
        }
    }

    /// The process is about to end by itself: the watchdog does nothing more.
    func disarm() {
        state.withLock { $0.disarmed = true }
        wake.signal()
    }

    /// Flushes the standard streams and ends the process without running exit handlers.
    @Sendable static func exitNow(_ status: Int32) {
        fflush(nil)
        _exit(status)
    }
}
