import CRdKafka

/// The transactional API (needs `transactionalID` in the configuration). Each call runs on the producer's
/// poll thread; errors carry `isRetriable`, `requiresAbort` and `isFatal` as librdkafka classifies them.
extension KafkaProducer {
    /// Registers the transactional id with the coordinator and fences older instances. Once, before `begin`.
    public func initTransactions(timeout: Duration = .seconds(30)) async throws {
        try await onPollThread { try KafkaError.check(rd_kafka_init_transactions($0, timeout.timeoutMs)) }
    }

    public func beginTransaction() async throws {
        try await onPollThread { try KafkaError.check(rd_kafka_begin_transaction($0)) }
    }

    /// Adds the consumer's input offsets (next offsets to read) to the current transaction, so they are
    /// committed for the consumer's group if and only if the transaction commits.
    public func sendOffsetsToTransaction(
        _ offsets: [KafkaPartitionOffset], consumer: KafkaConsumer, timeout: Duration = .seconds(30)
    ) async throws {
        guard !offsets.isEmpty else { return }
        let consumerHandle = consumer.handle
        try await onPollThread { rk in
            guard let metadata = rd_kafka_consumer_group_metadata(consumerHandle.rk) else {
                throw KafkaError(code: .state, message: "the consumer has no group metadata")
            }
            defer { rd_kafka_consumer_group_metadata_destroy(metadata) }
            try PartitionList.with(offsets) { list in
                try KafkaError.check(rd_kafka_send_offsets_to_transaction(rk, list, metadata, timeout.timeoutMs))
            }
        }
    }

    /// Flushes the transaction's messages and commits it (messages and offsets become visible together).
    public func commitTransaction(timeout: Duration = .seconds(30)) async throws {
        try await onPollThread { try KafkaError.check(rd_kafka_commit_transaction($0, timeout.timeoutMs)) }
    }

    /// Aborts the transaction: its messages stay invisible to `read_committed` consumers.
    public func abortTransaction(timeout: Duration = .seconds(30)) async throws {
        try await onPollThread { try KafkaError.check(rd_kafka_abort_transaction($0, timeout.timeoutMs)) }
    }
}
