import Synchronization

/// Whether the poll loop got messages since the lag reporter last looked: while it does, the client's
/// cached high watermarks are fresh; while it does not (paused, idle, or cut off) they are not.
final class FetchActivity: Sendable {
    private let fetched = Mutex(false)

    func record() { fetched.withLock { $0 = true } }

    /// True when messages came since the last call.
    func take() -> Bool {
        fetched.withLock { was in
            defer { was = false }
            return was
        }
    }
}
