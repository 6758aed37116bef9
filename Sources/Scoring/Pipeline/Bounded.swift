import Synchronization

/// Waiting for work with a deadline, without waiting for the work itself to notice: a task group would
/// wait for every child at its end, and an awaited `Task.value` does not end on cancellation, so a step
/// stuck on an unreachable service would hold the whole stop.
enum Bounded {
    /// Starts `body` in its own task and returns true when it finished within `timeout`, false when the
    /// time ran out first (the task is then cancelled and left to end on its own).
    static func run(within timeout: Duration, _ body: @escaping @Sendable () async -> Void) async -> Bool {
        await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let race = Race(continuation)
            let work = Task {
                await body()
                race.finish(true)
            }
            Task {
                try? await Task.sleep(for: timeout)
                work.cancel()
                race.finish(false)
            }
        }
    }

    /// Resumes its continuation once, with whichever side finished first.
    private final class Race: Sendable {
        private let continuation: Mutex<CheckedContinuation<Bool, Never>?>

        init(_ continuation: CheckedContinuation<Bool, Never>) { self.continuation = Mutex(continuation) }

        func finish(_ done: Bool) {
            continuation.withLock { c in
                defer { c = nil }
                return c
            }?.resume(returning: done)
        }
    }
}
