import CRdKafka

/// An idempotent (by default) or transactional producer whose sends complete on delivery reports.
///
/// Threading: one dedicated poll thread calls `rd_kafka_poll` between jobs; delivery reports, statistics and
/// error callbacks fire only there. `send` enqueues from the caller's task (librdkafka's produce call is
/// thread-safe and non-blocking) and awaits one continuation per batch. Blocking calls that serve callbacks
/// themselves (flush, the transaction calls) run as jobs on the same poll thread.
public final class KafkaProducer: Sendable {
    let handle: KafkaClientHandle
    private let pollThread: KafkaWorker
    /// True once `close` began; guards enqueueing so nothing is enqueued after the final flush.
    private let closed = KafkaLock(false)
    public let isTransactional: Bool

    public init(configuration: KafkaProducerConfiguration) throws {
        let handle = try KafkaClientHandle(
            .producer, properties: configuration.librdkafkaProperties, callbacks: KafkaCallbacks(logger: configuration.logger))
        self.handle = handle
        isTransactional = configuration.transactionalID != nil
        pollThread = KafkaWorker(name: "kafka-producer-poll") { _ = rd_kafka_poll(handle.rk, 20) }
    }

    deinit {
        let handle = self.handle
        pollThread.runBlocking { Self.drain(handle, timeout: .seconds(5)) }
        pollThread.stop()
    }

    /// The largest message this producer accepts (`message.max.bytes`: key, value, headers and framing).
    public var maxMessageBytes: Int {
        var bytes = [CChar](repeating: 0, count: 32)
        var size = bytes.count
        guard rd_kafka_conf_get(rd_kafka_conf(handle.rk), "message.max.bytes", &bytes, &size) == RD_KAFKA_CONF_OK else {
            return 1_000_000
        }
        return Int(String(cString: bytes)) ?? 1_000_000
    }

    /// librdkafka's statistics JSON, every `statistics.interval.ms`.
    public var statistics: AsyncStream<String> { handle.callbacks.statistics }
    /// Non-fatal client errors (broker transport, ...); librdkafka retries on its own.
    public var errors: AsyncStream<KafkaError> { handle.callbacks.errors }

    /// Produces the batch and returns when every message has its delivery report: the stored positions
    /// (in the order reports arrived; per partition that is send order), or the first error with the count
    /// of failed messages. Commit input offsets only after this returns.
    @discardableResult
    public func send(_ messages: [KafkaProducerMessage]) async throws -> [KafkaPartitionOffset] {
        try await send(count: messages.count, topic: { messages[$0].topic }) { rk, i, opaque in
            MessageEnqueuer.enqueue(rk, messages[i], opaque: opaque)
        }
    }

    /// `send` for a columnar batch: the same delivery guarantees, no allocation per message.
    @discardableResult
    public func send(_ records: KafkaProducerBatch) async throws -> [KafkaPartitionOffset] {
        try await send(count: records.count, topic: { _ in records.topic }) { rk, i, opaque in
            MessageEnqueuer.enqueue(rk, records, i, opaque: opaque)
        }
    }

    private func send(
        count: Int, topic: (Int) -> String,
        enqueueOne: (OpaquePointer, Int, UnsafeMutableRawPointer) -> rd_kafka_resp_err_t
    ) async throws -> [KafkaPartitionOffset] {
        guard count > 0 else { return [] }
        let batch = DeliveryBatch(count: count)
        var next = 0
        while next < count {
            let (enqueued, failure) = enqueue(count, from: next, batch: batch, topic: topic, enqueueOne)
            next = enqueued
            if let failure {
                batch.abandon(count - next, failure)
                break
            }
            if next < count {
                // librdkafka's queue is full: let the poll thread drain delivery reports, then go on.
                do { try await Task.sleep(for: .milliseconds(5)) } catch {
                    batch.abandon(count - next, KafkaError(code: .queueFull, message: "send cancelled"))
                    break
                }
            }
        }
        return try await batch.wait()
    }

    /// Enqueues from `start` until done, the queue is full, or a hard error; returns the next index.
    private func enqueue(
        _ count: Int, from start: Int, batch: DeliveryBatch, topic: (Int) -> String,
        _ enqueueOne: (OpaquePointer, Int, UnsafeMutableRawPointer) -> rd_kafka_resp_err_t
    ) -> (Int, KafkaError?) {
        closed.withLock { isClosed in
            if isClosed { return (start, KafkaError.closed) }
            var index = start
            while index < count {
                let err = enqueueOne(handle.rk, index, batch.opaque)
                if err == RD_KAFKA_RESP_ERR__QUEUE_FULL { return (index, nil) }
                if err != RD_KAFKA_RESP_ERR_NO_ERROR {
                    return (index, KafkaError(err, message: "produce to \(topic(index)): \(String(cString: rd_kafka_err2str(err)))"))
                }
                index += 1
            }
            return (index, nil)
        }
    }

    /// Waits until every enqueued message has its delivery report.
    public func flush(timeout: Duration = .seconds(30)) async throws {
        let handle = self.handle
        try await pollThread.run { try KafkaError.check(rd_kafka_flush(handle.rk, timeout.timeoutMs), "flush") }
    }

    /// Stops accepting sends, flushes (purging what is still undelivered after `timeout`, which fails those
    /// sends), and stops the poll thread. Idempotent.
    public func close(timeout: Duration = .seconds(30)) async {
        guard closed.withLock({ was in defer { was = true }; return !was }) else { return }
        let handle = self.handle
        _ = try? await pollThread.run { Self.drain(handle, timeout: timeout) }
        handle.callbacks.finish()
        pollThread.stop()
    }

    /// Flush, then purge and serve the purge reports, so no awaiting `send` is left hanging.
    private static func drain(_ handle: KafkaClientHandle, timeout: Duration) {
        if rd_kafka_flush(handle.rk, timeout.timeoutMs) != RD_KAFKA_RESP_ERR_NO_ERROR {
            _ = rd_kafka_purge(handle.rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT)
            _ = rd_kafka_flush(handle.rk, 1000)
        }
    }

    /// Runs a blocking librdkafka call on the poll thread (for the transaction API).
    func onPollThread<T: Sendable>(_ body: @escaping @Sendable (OpaquePointer) throws -> T) async throws -> T {
        let handle = self.handle
        return try await pollThread.run { try body(handle.rk) }
    }
}
