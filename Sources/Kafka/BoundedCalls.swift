import CRdKafka

/// The consumer's commit and close with a deadline. librdkafka's own `rd_kafka_commit` (synchronous) and
/// `rd_kafka_consumer_close` wait on their reply with no timeout at all, so while the group coordinator is
/// unreachable they block their thread for as long as the outage lasts; these use the queue-based forms
/// and stop waiting at the deadline.
///
/// Ownership: each call makes its own `rd_kafka_queue_t` and destroys it before returning. A reply that
/// arrives after that is discarded by librdkafka (the request holds its own reference to the queue), so
/// abandoning a wait frees nothing librdkafka still uses.
enum BoundedCalls {
    /// Commits `offsets` and waits at most `timeout` for the coordinator's answer. A commit that timed out
    /// may still be applied later; committing the same or higher offsets again is harmless.
    static func commit(_ handle: KafkaClientHandle, _ offsets: [KafkaPartitionOffset], timeout: Duration) throws {
        guard !offsets.isEmpty else { return }
        guard let queue = rd_kafka_queue_new(handle.rk) else { throw KafkaError(code: .state, message: "commit: no queue") }
        defer { rd_kafka_queue_destroy(queue) }
        try PartitionList.with(offsets) { list in
            try KafkaError.check(rd_kafka_commit_queue(handle.rk, list, queue, nil, nil), "commit")
        }
        // With the event API the result comes back as an RD_KAFKA_EVENT_OFFSET_COMMIT event on `queue`.
        guard let event = rd_kafka_queue_poll(queue, timeout.timeoutMs) else {
            throw KafkaError(code: .timedOut, message: "commit: no answer from the group coordinator within \(timeout)")
        }
        defer { rd_kafka_event_destroy(event) }
        let err = rd_kafka_event_error(event)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR && err != RD_KAFKA_RESP_ERR__NO_OFFSET {
            throw KafkaError(err, message: "commit: \(String(cString: rd_kafka_event_error_string(event)))")
        }
        if let list = rd_kafka_event_topic_partition_list(event), let failure = PartitionList.firstError(list) { throw failure }
    }

    /// Leaves the group (the rebalance handler runs here, on the calling thread, as `rd_kafka_consumer_close`
    /// would run it) and waits at most `timeout`; false when the consumer was not closed by then, in which
    /// case the handle must be destroyed without another close (`KafkaClientHandle.skipConsumerClose`).
    static func close(_ handle: KafkaClientHandle, timeout: Duration) -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        guard let queue = rd_kafka_queue_new(handle.rk) else { return false }
        defer { rd_kafka_queue_destroy(queue) }
        if let error = rd_kafka_consumer_close_queue(handle.rk, queue) {
            handle.callbacks.error(KafkaError(consuming: error))
            return false
        }
        while rd_kafka_consumer_closed(handle.rk) == 0 {
            let left = clock.now.duration(to: deadline)
            guard left > .zero else { return false }
            // The event API, not rd_kafka_queue_poll_callback: librdkafka asserts when that meets an op it
            // would return (a message, an error). A rebalance comes as an event even with a rebalance
            // callback configured, so it is handed to the same handler the callback uses, which assigns.
            guard let event = rd_kafka_queue_poll(queue, min(100, left.timeoutMs)) else { continue }
            defer { rd_kafka_event_destroy(event) }
            if rd_kafka_event_type(event) == RD_KAFKA_EVENT_REBALANCE {
                // The partition list belongs to the event, which outlives this call.
                handle.callbacks.rebalance(handle.rk, rd_kafka_event_error(event), rd_kafka_event_topic_partition_list(event))
            }
        }
        return true
    }
}
