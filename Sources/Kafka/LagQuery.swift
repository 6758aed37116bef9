import CRdKafka

/// Consumer lag per partition from the group's committed offsets, the position and the broker watermarks.
enum LagQuery {
    static func run(_ handle: KafkaClientHandle, _ assigned: [KafkaTopicPartition], timeout: Duration) throws
        -> [KafkaPartitionLag]
    {
        guard !assigned.isEmpty else { return [] }
        let committed = try PartitionList.with(assigned) { list in
            try KafkaError.check(rd_kafka_committed(handle.rk, list, timeout.timeoutMs), "committed")
            return PartitionList.entries(list)
        }
        let positions = try PartitionList.with(assigned) { list in
            try KafkaError.check(rd_kafka_position(handle.rk, list), "position")
            return PartitionList.entries(list)
        }
        return try assigned.indices.map { index in
            let part = assigned[index]
            var low: Int64 = 0, high: Int64 = 0
            try KafkaError.check(
                rd_kafka_query_watermark_offsets(handle.rk, part.topic, part.partition, &low, &high, timeout.timeoutMs),
                "watermarks of \(part)")
            return KafkaPartitionLag(
                topic: part.topic, partition: part.partition, committed: valid(committed[index].offset),
                position: valid(positions[index].offset), low: low, high: high)
        }
    }

    /// From what the client already knows: watermarks of the last fetch response and the fetch position;
    /// no broker round trip, so it can run as often as metrics are scraped. Partitions not fetched yet are left out.
    static func cached(_ handle: KafkaClientHandle, _ assigned: [KafkaTopicPartition], committed: [KafkaTopicPartition: Int64])
        throws -> [KafkaPartitionLag]
    {
        guard !assigned.isEmpty else { return [] }
        let positions = try PartitionList.with(assigned) { list in
            try KafkaError.check(rd_kafka_position(handle.rk, list), "position")
            return PartitionList.entries(list)
        }
        return assigned.indices.compactMap { index in
            let part = assigned[index]
            var low: Int64 = 0, high: Int64 = 0
            guard rd_kafka_get_watermark_offsets(handle.rk, part.topic, part.partition, &low, &high) == RD_KAFKA_RESP_ERR_NO_ERROR,
                high >= 0
            else { return nil }
            return KafkaPartitionLag(
                topic: part.topic, partition: part.partition, committed: committed[part],
                position: valid(positions[index].offset), low: max(0, low), high: high)
        }
    }

    private static func valid(_ offset: Int64) -> Int64? { offset >= 0 ? offset : nil }
}
