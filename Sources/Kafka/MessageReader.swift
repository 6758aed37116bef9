import CRdKafka

/// Copies consumed `rd_kafka_message_t`s into `KafkaMessage`s, caching topic names for one batch.
struct MessageReader {
    private var topicNames: [OpaquePointer: String] = [:]

    mutating func read(_ message: UnsafeMutablePointer<rd_kafka_message_t>) -> KafkaMessage {
        let m = message.pointee
        let topic: String
        if let rkt = m.rkt {
            if let cached = topicNames[rkt] {
                topic = cached
            } else {
                topic = String(cString: rd_kafka_topic_name(rkt))
                topicNames[rkt] = topic
            }
        } else {
            topic = ""
        }
        var kind = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let timestamp = rd_kafka_message_timestamp(message, &kind)
        return KafkaMessage(
            topic: topic, partition: m.partition, offset: m.offset,
            key: m.key.map { Self.bytes($0, m.key_len) },
            value: m.payload.map { Self.bytes($0, m.len) } ?? [],
            timestamp: kind == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? nil : timestamp,
            headers: Self.headers(message))
    }

    private static func bytes(_ pointer: UnsafeRawPointer, _ count: Int) -> [UInt8] {
        Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    private static func headers(_ message: UnsafeMutablePointer<rd_kafka_message_t>) -> [KafkaHeader] {
        var list: OpaquePointer?
        guard rd_kafka_message_headers(message, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list else { return [] }
        var result: [KafkaHeader] = []
        var index = 0
        var name: UnsafePointer<CChar>?
        var value: UnsafeRawPointer?
        var size = 0
        while rd_kafka_header_get_all(list, index, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
            result.append(KafkaHeader(name: name.map { String(cString: $0) } ?? "", value: value.map { bytes($0, size) }))
            index += 1
        }
        return result
    }
}
