import CRdKafka

/// The consumer's batch loop, run on its poll thread: poll until `maxMessages` or the deadline, then drain
/// what is already fetched without waiting.
enum BatchPoller {
    static func poll(_ handle: KafkaClientHandle, maxMessages: Int, timeout: Duration) throws -> KafkaConsumerBatch {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var reader = MessageReader()
        var batch = KafkaConsumerBatch()
        batch.reserveCapacity(min(maxMessages, 4096))
        while batch.count < maxMessages {
            // Take what is already fetched without reading the clock; only an empty queue waits.
            var next = rd_kafka_consumer_poll(handle.rk, 0)
            if next == nil {
                let left = clock.now.duration(to: deadline)
                guard left > .zero else { break }
                next = rd_kafka_consumer_poll(handle.rk, Int32(clamping: left.milliseconds))
            }
            guard let message = next else { continue }
            defer { rd_kafka_message_destroy(message) }
            let err = message.pointee.err
            if err == RD_KAFKA_RESP_ERR_NO_ERROR {
                reader.read(message, into: &batch)
            } else if err == RD_KAFKA_RESP_ERR__FATAL, let fatal = handle.fatalError() {
                throw fatal
            } else if err != RD_KAFKA_RESP_ERR__PARTITION_EOF {
                handle.callbacks.error(KafkaError(err, message: consumerErrorText(message)))
            }
        }
        return batch
    }

    private static func consumerErrorText(_ message: UnsafeMutablePointer<rd_kafka_message_t>) -> String {
        String(cString: rd_kafka_message_errstr(message))
    }
}
