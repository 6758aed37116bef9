import Foundation
import Scoring
import Synchronization

/// Values appended from any task, read back in the order they came.
final class Recorder<T: Sendable>: Sendable {
    private let items = Mutex<[T]>([])
    func append(_ item: T) { items.withLock { $0.append(item) } }
    var values: [T] { items.withLock { $0 } }
}

/// Holds tasks at `wait()` until `open()`.
final class Gate: Sendable {
    private struct State {
        var open = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { s in
                if s.open { return true }
                s.waiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { s in
            s.open = true
            let w = s.waiters
            s.waiters = []
            return w
        }
        for w in waiters { w.resume() }
    }
}

/// A sink that fails its first `failures` writes of each batch sequence in `failing`, and records every write.
final class FlakySink: BatchSink {
    let name: String
    private let failing: Set<Int>
    private let state: Mutex<(attempts: [Int: Int], written: [Int])>
    private let failures: Int

    init(name: String = "flaky", failing: Set<Int>, failures: Int) {
        self.name = name
        self.failing = failing
        self.failures = failures
        state = Mutex((attempts: [:], written: []))
    }

    struct Failure: Error {}

    func write(_ batch: ScoredBatch) async throws {
        let fail = state.withLock { s in
            s.attempts[batch.sequence, default: 0] += 1
            if failing.contains(batch.sequence), s.attempts[batch.sequence]! <= failures { return true }
            s.written.append(batch.sequence)
            return false
        }
        if fail { throw Failure() }
    }

    /// Attempts per batch sequence, failed ones included.
    var attempts: [Int: Int] { state.withLock { $0.attempts } }
    /// Sequences written successfully, in the order they were.
    var written: [Int] { state.withLock { $0.written } }
}
