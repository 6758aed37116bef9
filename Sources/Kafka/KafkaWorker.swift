import Foundation

/// A dedicated OS thread that runs submitted jobs in order and, when it has none, an optional idle step
/// (a producer's `rd_kafka_poll`). librdkafka callbacks fire only inside calls this thread makes.
///
/// Why `@unchecked Sendable` is safe: `jobs` and `stopping` are read and written only while
/// `condition` is locked, and `idle` and `finished` are immutable after init.
final class KafkaWorker: @unchecked Sendable {  // safe: mutable state only under `condition` (above)
    private let condition = NSCondition()
    private var jobs: [@Sendable () -> Void] = []
    private var stopping = false
    private let idle: (@Sendable () -> Void)?
    private let finished = DispatchSemaphore(value: 0)

    /// Starts the thread. It holds the worker until `stop()` is called.
    init(name: String, idle: (@Sendable () -> Void)? = nil) {
        self.idle = idle
        let thread = Thread { [self] in self.main() }
        thread.name = name
        thread.start()
    }

    private func main() {
        Thread.current.threadDictionary["forewarn.kafka.worker"] = ObjectIdentifier(self)
        while true {
            condition.lock()
            while jobs.isEmpty && !stopping && idle == nil { condition.wait() }
            if jobs.isEmpty && stopping {
                condition.unlock()
                break
            }
            let job = jobs.isEmpty ? nil : jobs.removeFirst()
            condition.unlock()
            if let job { job() } else { idle?() }
        }
        finished.signal()
    }

    var isCurrent: Bool {
        Thread.current.threadDictionary["forewarn.kafka.worker"] as? ObjectIdentifier == ObjectIdentifier(self)
    }

    /// Queues a job; false once the worker is stopping.
    @discardableResult
    func submit(_ job: @escaping @Sendable () -> Void) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !stopping else { return false }
        jobs.append(job)
        condition.signal()
        return true
    }

    /// Runs `body` on the worker thread: one continuation per call.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
            let queued = submit {
                do { continuation.resume(returning: try body()) } catch { continuation.resume(throwing: error) }
            }
            if !queued { continuation.resume(throwing: KafkaError.closed) }
        }
    }

    /// Runs `body` on the worker thread and blocks the caller until it is done (for deinit and close paths).
    func runBlocking(_ body: @escaping @Sendable () -> Void) {
        if isCurrent { return body() }
        let done = DispatchSemaphore(value: 0)
        if submit({ body(); done.signal() }) { done.wait() }
    }

    /// Runs the queued jobs, then ends the thread; waits for it unless called from it.
    func stop() {
        condition.lock()
        let first = !stopping
        stopping = true
        condition.broadcast()
        condition.unlock()
        if first && !isCurrent { finished.wait() }
    }
}
