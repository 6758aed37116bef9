import NIOConcurrencyHelpers

/// Counters of one client, safe to read from any task.
public final class ClientMetrics: Sendable {
    public struct Snapshot: Sendable, Equatable {
        public var requests = 0
        public var retries = 0
        public var failures = 0
        public var reprepares = 0
    }

    private let box = NIOLockedValueBox(Snapshot())
    public init() {}
    public var snapshot: Snapshot { box.withLockedValue { $0 } }
    func update(_ change: (inout Snapshot) -> Void) { box.withLockedValue { change(&$0) } }
}
