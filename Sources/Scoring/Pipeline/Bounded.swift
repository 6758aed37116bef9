import Synchronization

/// Waiting for work with a deadline, without waiting for the work itself to notice: a task group would
/// wait for every child at its end, and an awaited `Task.value` does not end on cancellation, so a step
/// stuck on an unreachable service would hold the whole stop.
enum Bounded {
    /// Starts `body` in its own task and returns true when it finished within `timeout`, false when the
    /// time ran out first (the task is then cancelled and left to end on its own).
    static func run(within timeout: Duration, _ body: @escaping @Sendable () async -> Void) async -> Bool {
        await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let race = Race<Bool>(continuation)
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

    /// Runs `body` in its own task and waits for it; once the caller is cancelled, for at most `grace` more
    /// (the task is cancelled too). Throws `body`'s error, or `CancellationError` when the grace ran out.
    static func run(afterCancellation grace: Duration, _ body: @escaping @Sendable () async throws -> Void) async throws {
        let race = Race<Result<Void, any Error>>()
        let work = Task {
            do {
                try await body()
                race.finish(.success(()))
            } catch {
                race.finish(.failure(error))
            }
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                race.start { continuation.resume(with: $0) }
            }
        } onCancel: {
            work.cancel()
            Task {
                try? await Task.sleep(for: grace)
                race.finish(.failure(CancellationError()))
            }
        }
    }

    /// Hands the first of the results offered to whoever waits, once; later ones are dropped.
    private final class Race<Outcome: Sendable>: Sendable {
        private struct State {
            var outcome: Outcome?
            var waiter: (@Sendable (Outcome) -> Void)?
            var done = false
        }

        private let state = Mutex(State())

        init() {}

        convenience init(_ continuation: CheckedContinuation<Outcome, Never>) {
            self.init()
            start { continuation.resume(returning: $0) }
        }

        /// Sets who gets the outcome; at once when it is already there.
        func start(_ waiter: @escaping @Sendable (Outcome) -> Void) {
            let ready = state.withLock { s -> Outcome? in
                if let o = s.outcome, !s.done {
                    s.done = true
                    return o
                }
                s.waiter = waiter
                return nil
            }
            if let ready { waiter(ready) }
        }

        func finish(_ outcome: Outcome) {
            let deliver = state.withLock { s -> (@Sendable (Outcome) -> Void)? in
                guard !s.done, s.outcome == nil else { return nil }
                guard let w = s.waiter else {
                    s.outcome = outcome
                    return nil
                }
                s.done = true
                s.waiter = nil
                return w
            }
            deliver?(outcome)
        }
    }
}
