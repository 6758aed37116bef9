import Foundation
import Synchronization

/// Batches whose sinks are still writing, chained so their offsets are
/// committed strictly in consumption order while several are in flight.
///
/// Each link waits for its own sinks, then for the link before it, then
/// commits; so a commit never covers a batch whose predictions are not out.
/// A link whose work did not deliver (it was cancelled) commits nothing, and
/// the links after it still wait for it, so no later commit jumps over it.
final class InFlightChain: Sendable {
    private struct State {
        var last: Task<Void, Never>?
        var pending = 0
        /// Every link not finished yet, by number, so a stop that gives up on them can cancel them.
        var links: [Int: Task<Void, Never>] = [:]
        var next = 0
    }

    private let state = Mutex(State())

    var pending: Int { state.withLock { $0.pending } }

    /// Appends a link: `work` runs now, concurrently with earlier links; `commit` runs after it, after every
    /// earlier link, and only when `work` returned true.
    func append(work: @escaping @Sendable () async -> Bool, commit: @escaping @Sendable () async -> Void) {
        state.withLock { s in
            let previous = s.last
            let id = s.next
            s.next += 1
            s.pending += 1
            let link = Task {
                let delivered = await work()
                await previous?.value
                if delivered && !Task.isCancelled { await commit() }
                self.state.withLock { s in
                    s.pending -= 1
                    s.links.removeValue(forKey: id)
                }
            }
            s.last = link
            s.links[id] = link
        }
    }

    /// Waits until fewer than `limit` links are pending, for at most `timeout`; true when they are.
    func wait(below limit: Int, timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while pending >= limit {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(1))
        }
        return true
    }

    /// Cancels every pending link: its sinks stop retrying and it commits nothing (a stop that ran out of time).
    func cancelAll() {
        for link in state.withLock({ Array($0.links.values) }) { link.cancel() }
    }

    /// Waits for every link appended so far.
    func drain() async {
        let last = state.withLock { $0.last }
        await last?.value
    }

    /// `drain` for synchronous callers (the rebalance handler, on the Kafka poll thread, which the links never need).
    func drainBlocking(timeout: Duration) -> Bool {
        let done = DispatchSemaphore(value: 0)
        let last = state.withLock { $0.last }
        Task {
            await last?.value
            done.signal()
        }
        let (seconds, attoseconds) = timeout.components
        return done.wait(timeout: .now() + Double(seconds) + Double(attoseconds) * 1e-18) == .success
    }
}
