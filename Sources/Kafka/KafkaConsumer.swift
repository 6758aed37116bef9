import CRdKafka

/// A consumer in a consumer group with manual offset commits.
///
/// Threading: one dedicated poll thread calls `rd_kafka_consumer_poll` (and `rd_kafka_consumer_close`), so
/// the rebalance, statistics, error and async-commit callbacks fire only there. `poll` hands one request to
/// that thread and awaits one continuation per batch. Blocking broker round trips that fire no callbacks
/// (synchronous commits, lag queries) run on a second thread, so they never wait behind a poll.
/// The owner must keep calling `poll` (also while partitions are paused): rebalances complete only inside it.
public final class KafkaConsumer: Sendable {
    let handle: KafkaClientHandle
    private let pollThread = KafkaWorker(name: "kafka-consumer-poll")
    private let callThread = KafkaWorker(name: "kafka-consumer-calls")
    /// Lag queries block on several broker round trips; on their own thread they never hold up a commit.
    private let lagThread = KafkaWorker(name: "kafka-consumer-lag")
    private let closed = KafkaLock(false)

    public init(configuration: KafkaConsumerConfiguration) throws {
        handle = try KafkaClientHandle(
            .consumer, properties: configuration.librdkafkaProperties, callbacks: KafkaCallbacks(logger: configuration.logger))
        // Route the main queue (stats, errors, commit results) to the consumer queue: one poll serves all.
        try KafkaError.check(rd_kafka_poll_set_consumer(handle.rk))
    }

    deinit {
        let handle = self.handle
        // On the poll thread itself (the last reference dropped inside a rebalance handler) closing here would
        // re-enter librdkafka from its callback; rd_kafka_destroy closes the consumer once the job ends.
        if !closed.withLock({ $0 }) && !pollThread.isCurrent {
            pollThread.runBlocking { if !BoundedCalls.close(handle, timeout: .seconds(10)) { handle.skipConsumerClose() } }
        }
        pollThread.stop()
        callThread.stop()
        lagThread.stop()
    }

    /// Assignment changes, also delivered to the `onRebalance` handler. Finishes on `close()`.
    public var rebalanceEvents: AsyncStream<KafkaRebalanceEvent> { handle.callbacks.rebalanceEvents }
    /// librdkafka's statistics JSON, every `statistics.interval.ms` (set that property to enable it).
    public var statistics: AsyncStream<String> { handle.callbacks.statistics }
    /// Non-fatal client errors (broker transport, async commit failures); librdkafka retries on its own.
    public var errors: AsyncStream<KafkaError> { handle.callbacks.errors }
    /// Partitions whose fetch position `auto.offset.reset` moved after "offset out of range": with the default
    /// `earliest`, events between the old position and the log start were deleted before they were read.
    public var offsetResets: AsyncStream<KafkaOffsetReset> { handle.callbacks.offsetResets }

    /// Sets the handler the poll thread calls synchronously on every assignment change, before librdkafka
    /// completes it: on `.revoked`, finish in-flight work and `commitSync` it; on `.assigned`, warm state.
    /// Capture the consumer weakly (or rely on `close()`, which drops the handler).
    public func onRebalance(_ handler: @escaping @Sendable (KafkaRebalanceEvent) -> Void) {
        handle.callbacks.rebalanceHandler.withLock { $0 = handler }
    }

    public func subscribe(topics: [String]) throws {
        try PartitionList.with(topics.map { KafkaTopicPartition(topic: $0, partition: RD_KAFKA_PARTITION_UA) }) {
            try KafkaError.check(rd_kafka_subscribe(handle.rk, $0), "subscribe")
        }
    }

    /// Up to `maxMessages` messages, waiting at most `timeout` for them (an empty batch when none came).
    /// Rebalance callbacks run inside this call. Throws only a fatal consumer error or `closed`.
    public func poll(maxMessages: Int = 500, timeout: Duration = .milliseconds(100)) async throws -> KafkaConsumerBatch {
        let handle = self.handle
        let limit = max(1, maxMessages)
        return try await pollThread.run { try BatchPoller.poll(handle, maxMessages: limit, timeout: timeout) }
    }

    /// Commits explicit offsets (next offset to read per partition) and returns when the broker acknowledged,
    /// or throws `_TIMED_OUT` after `timeout` without an answer (the brokers are gone: librdkafka's own
    /// synchronous commit would wait for as long as they are).
    public func commit(_ offsets: [KafkaPartitionOffset], timeout: Duration = .seconds(60)) async throws {
        let handle = self.handle
        try await callThread.run { try BoundedCalls.commit(handle, offsets, timeout: timeout) }
    }

    /// The blocking commit, for the rebalance handler (which runs on the poll thread) and other sync code;
    /// bounded like `commit`.
    public func commitSync(_ offsets: [KafkaPartitionOffset], timeout: Duration = .seconds(60)) throws {
        try BoundedCalls.commit(handle, offsets, timeout: timeout)
    }

    /// Sends the commit and returns at once; a failure arrives on `errors` during a later `poll`.
    public func commitAsync(_ offsets: [KafkaPartitionOffset]) throws {
        guard !offsets.isEmpty else { return }
        try PartitionList.with(offsets) { list in try KafkaError.check(rd_kafka_commit(handle.rk, list, 1), "commit") }
    }

    /// Stops fetching these partitions (back-pressure); `poll` keeps serving rebalances meanwhile.
    public func pause(_ partitions: [KafkaTopicPartition]) throws {
        try PartitionList.with(partitions) { list in
            try KafkaError.check(rd_kafka_pause_partitions(handle.rk, list), "pause")
            if let failure = PartitionList.firstError(list) { throw failure }
        }
    }

    public func resume(_ partitions: [KafkaTopicPartition]) throws {
        try PartitionList.with(partitions) { list in
            try KafkaError.check(rd_kafka_resume_partitions(handle.rk, list), "resume")
            if let failure = PartitionList.firstError(list) { throw failure }
        }
    }

    /// The partitions currently assigned to this consumer.
    public func assignment() throws -> [KafkaTopicPartition] {
        var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        try KafkaError.check(rd_kafka_assignment(handle.rk, &list), "assignment")
        guard let list else { return [] }
        defer { rd_kafka_topic_partition_list_destroy(list) }
        return PartitionList.partitions(list)
    }

    /// Per assigned partition: committed offset, position, watermarks and lag (asks the brokers).
    public func lag(timeout: Duration = .seconds(5)) async throws -> [KafkaPartitionLag] {
        let handle = self.handle
        let assigned = try assignment()
        return try await lagThread.run { try LagQuery.run(handle, assigned, timeout: timeout) }
    }

    /// Lag per assigned partition from the client's own knowledge (the last fetch's high watermark and the
    /// position), with `committed` as the caller last committed it: no broker requests, unlike `lag`, whose
    /// round trips share the broker connection with fetches. Partitions not fetched yet are left out.
    public func cachedLag(committed: [KafkaTopicPartition: Int64]) throws -> [KafkaPartitionLag] {
        try LagQuery.cached(handle, try assignment(), committed: committed)
    }

    /// Leaves the group (revoke callbacks run, so the owner can commit), then stops the threads. Gives up
    /// leaving after `timeout` (the brokers are gone) and returns false; the group then notices the member
    /// gone after its session timeout. Idempotent; every call afterwards throws `KafkaError.closed` or a
    /// librdkafka state error.
    @discardableResult
    public func close(timeout: Duration = .seconds(60)) async -> Bool {
        guard closed.withLock({ was in defer { was = true }; return !was }) else { return true }
        let handle = self.handle
        let left = (try? await pollThread.run { BoundedCalls.close(handle, timeout: timeout) }) ?? false
        if !left { handle.skipConsumerClose() }
        handle.callbacks.finish()
        pollThread.stop()
        callThread.stop()
        lagThread.stop()
        return left
    }
}
