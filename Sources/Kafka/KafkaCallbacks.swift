import CRdKafka
import Logging

/// What librdkafka's C callbacks reach through their opaque pointer: one per client handle.
///
/// `KafkaClientHandle` passes `Unmanaged.passRetained(self)` as the `rd_kafka_conf_set_opaque` value when it
/// creates the handle and releases it after `rd_kafka_destroy` returns, so the object outlives every callback.
/// Callbacks run on the thread that called `rd_kafka_poll`/`rd_kafka_consumer_poll` (the client's worker
/// thread); state leaves that thread only through the lock-guarded handler and the AsyncStream continuations.
final class KafkaCallbacks: Sendable {
    let rebalanceHandler = KafkaLock<(@Sendable (KafkaRebalanceEvent) -> Void)?>(nil)
    let rebalanceEvents: AsyncStream<KafkaRebalanceEvent>
    let statistics: AsyncStream<String>
    let errors: AsyncStream<KafkaError>
    let offsetResets: AsyncStream<KafkaOffsetReset>
    private let rebalanceSink: AsyncStream<KafkaRebalanceEvent>.Continuation
    private let statisticsSink: AsyncStream<String>.Continuation
    private let errorSink: AsyncStream<KafkaError>.Continuation
    private let offsetResetSink: AsyncStream<KafkaOffsetReset>.Continuation
    let logs: KafkaLogBridge

    init(logger: Logger = Logger(label: "forewarn.kafka")) {
        logs = KafkaLogBridge(logger: logger)
        (rebalanceEvents, rebalanceSink) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1024))
        (statistics, statisticsSink) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(16))
        (errors, errorSink) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(256))
        (offsetResets, offsetResetSink) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(256))
    }

    func finish() {
        rebalanceHandler.withLock { $0 = nil }
        rebalanceSink.finish()
        statisticsSink.finish()
        errorSink.finish()
        offsetResetSink.finish()
    }

    func statistics(_ json: String) { statisticsSink.yield(json) }

    func error(_ error: KafkaError) { errorSink.yield(error) }

    /// A librdkafka log line (called on whichever librdkafka thread logs): offset resets are also read off it.
    func log(level: Int32, client: String, facility: String, _ line: String) {
        if facility == "OFFSET", let reset = KafkaOffsetReset(logLine: line) { offsetResetSink.yield(reset) }
        logs.log(level: level, client: client, facility: facility, line)
    }

    /// The rebalance callback: tell the owner first, then complete the (eager or cooperative) rebalance.
    func rebalance(
        _ rk: OpaquePointer, _ err: rd_kafka_resp_err_t, _ list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
    ) {
        let partitions = list.map { PartitionList.partitions($0) } ?? []
        let cooperative = String(cString: rd_kafka_rebalance_protocol(rk)) == "COOPERATIVE"
        let event: KafkaRebalanceEvent
        switch err {
        case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS: event = .assigned(partitions)
        case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
            event = rd_kafka_assignment_lost(rk) != 0 ? .lost(partitions) : .revoked(partitions)
        default: event = .failed(KafkaError(err))
        }
        // A cooperative rebalance calls back with empty increments too: no change, so the owner is not told.
        let unchanged: Bool
        if case .failed = event { unchanged = false } else { unchanged = cooperative && partitions.isEmpty }
        if !unchanged {
            rebalanceHandler.withLock { $0 }?(event)
            rebalanceSink.yield(event)
        }
        var failure: KafkaError?
        switch (event, cooperative) {
        case (.assigned, true):
            if let e = rd_kafka_incremental_assign(rk, list) { failure = KafkaError(consuming: e) }
        case (.assigned, false):
            failure = assignError(rd_kafka_assign(rk, list))
        case (_, true):
            if let e = rd_kafka_incremental_unassign(rk, list) { failure = KafkaError(consuming: e) }
        case (_, false):
            failure = assignError(rd_kafka_assign(rk, nil))
        }
        if let failure { errorSink.yield(failure) }
    }

    private func assignError(_ err: rd_kafka_resp_err_t) -> KafkaError? {
        err == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : KafkaError(err, message: "assign: \(String(cString: rd_kafka_err2str(err)))")
    }
}
