import CRdKafka

/// Conversions between Swift partition values and `rd_kafka_topic_partition_list_t`.
/// Lists made here are owned by the caller, who destroys them with `rd_kafka_topic_partition_list_destroy`.
enum PartitionList {
    typealias Pointer = UnsafeMutablePointer<rd_kafka_topic_partition_list_t>

    static func make(_ offsets: [KafkaPartitionOffset]) -> Pointer {
        let list = rd_kafka_topic_partition_list_new(Int32(offsets.count))!
        for entry in offsets {
            rd_kafka_topic_partition_list_add(list, entry.topic, entry.partition).pointee.offset = entry.offset
        }
        return list
    }

    static func make(_ partitions: [KafkaTopicPartition]) -> Pointer {
        make(partitions.map { KafkaPartitionOffset(topic: $0.topic, partition: $0.partition, offset: -1001) })
    }

    /// Calls `body` with a list made from `offsets` and destroys it afterwards.
    static func with<R>(_ offsets: [KafkaPartitionOffset], _ body: (Pointer) throws -> R) rethrows -> R {
        let list = make(offsets)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        return try body(list)
    }

    static func with<R>(_ partitions: [KafkaTopicPartition], _ body: (Pointer) throws -> R) rethrows -> R {
        let list = make(partitions)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        return try body(list)
    }

    static func entries(_ list: UnsafePointer<rd_kafka_topic_partition_list_t>) -> [KafkaPartitionOffset] {
        (0..<Int(list.pointee.cnt)).map { index in
            let element = list.pointee.elems[index]
            return KafkaPartitionOffset(
                topic: String(cString: element.topic), partition: element.partition, offset: element.offset)
        }
    }

    static func partitions(_ list: UnsafePointer<rd_kafka_topic_partition_list_t>) -> [KafkaTopicPartition] {
        entries(list).map(\.topicPartition)
    }

    /// The first per-partition error in the list, naming the partition.
    static func firstError(_ list: UnsafePointer<rd_kafka_topic_partition_list_t>) -> KafkaError? {
        for index in 0..<Int(list.pointee.cnt) {
            let element = list.pointee.elems[index]
            if element.err != RD_KAFKA_RESP_ERR_NO_ERROR {
                let text = String(cString: rd_kafka_err2str(element.err))
                return KafkaError(element.err, message: "\(String(cString: element.topic))[\(element.partition)]: \(text)")
            }
        }
        return nil
    }
}
