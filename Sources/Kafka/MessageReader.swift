import CRdKafka

/// Copies consumed `rd_kafka_message_t`s into a `KafkaConsumerBatch`, caching topic names for one batch.
struct MessageReader {
    private var topicIndexes: [OpaquePointer: Int] = [:]

    mutating func read(_ message: UnsafeMutablePointer<rd_kafka_message_t>, into batch: inout KafkaConsumerBatch) {
        let m = message.pointee
        let topic: Int
        if let rkt = m.rkt {
            if let cached = topicIndexes[rkt] {
                topic = cached
            } else {
                topic = batch.addTopic(String(cString: rd_kafka_topic_name(rkt)))
                topicIndexes[rkt] = topic
            }
        } else {
            topic = batch.addTopic("")
        }
        var kind = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let timestamp = rd_kafka_message_timestamp(message, &kind)
        batch.append(
            topicIndex: topic, partition: m.partition, offset: m.offset,
            key: m.key.map { UnsafeRawBufferPointer(start: $0, count: m.key_len) },
            value: UnsafeRawBufferPointer(start: m.payload, count: m.payload == nil ? 0 : m.len),
            timestamp: kind == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? nil : timestamp)
        if let headers = Self.headers(message) { batch.setHeaders(headers, at: batch.count - 1) }
    }

    /// The message's headers; nil when it has none (most messages: no allocation then).
    private static func headers(_ message: UnsafeMutablePointer<rd_kafka_message_t>) -> [KafkaHeader]? {
        var list: OpaquePointer?
        guard rd_kafka_message_headers(message, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list else { return nil }
        var result: [KafkaHeader] = []
        var index = 0
        var name: UnsafePointer<CChar>?
        var value: UnsafeRawPointer?
        var size = 0
        while rd_kafka_header_get_all(list, index, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
            let bytes = value.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) }
            result.append(KafkaHeader(name: name.map { String(cString: $0) } ?? "", value: bytes))
            index += 1
        }
        return result.isEmpty ? nil : result
    }
}
