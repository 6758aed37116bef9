import Foundation

/// A value guarded by a lock; the portable stand-in for `Synchronization.Mutex`, which needs macOS 15
/// while the package supports macOS 14.
final class KafkaLock<Value: Sendable>: @unchecked Sendable {
    // Safety: `value` is private and read or written only inside `withLock`, which holds `lock`
    // for the whole access; `Value` is Sendable, so what leaves the closure may cross threads.
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
