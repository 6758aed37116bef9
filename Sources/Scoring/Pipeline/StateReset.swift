import Synchronization

/// Asks the poll loop to forget per-series state: set from the Kafka poll
/// thread during a rebalance, taken by the loop (which owns the state) after
/// the poll returns.
final class StateReset: Sendable {
    private let flag = Mutex(false)

    func request() { flag.withLock { $0 = true } }

    /// True once per request.
    func take() -> Bool {
        flag.withLock { requested in
            let was = requested
            requested = false
            return was
        }
    }
}
