import Kafka
import Testing

@Suite struct ProduceConsumeTests {
    @Test func everyMessageComesBackOnceInPartitionOrderWithKeyAndHeaders() async throws {
        let (cluster, topic) = try KafkaTestSupport.cluster(brokers: 3, topic: "events", partitions: 4)
        let producer = try KafkaTestSupport.producer(cluster)
        let count = 400
        let reports = try await producer.send(KafkaTestSupport.messages(topic: topic, count: count))
        #expect(reports.count == count)
        #expect(Set(reports.map { "\($0.partition)/\($0.offset)" }).count == count)
        await producer.close()

        let consumer = try KafkaTestSupport.consumer(cluster, group: KafkaTestSupport.unique("g"))
        try consumer.subscribe(topics: [topic])
        var received: [KafkaConsumerMessage] = []
        var polls = 0
        while received.count < count && polls < 300 {
            let batch = try await consumer.poll(maxMessages: 64)
            received += batch.messages
            try await consumer.commit(batch.commitOffsets)
            polls += 1
        }
        #expect(received.count == count)
        #expect(Set(received.map(KafkaTestSupport.index)) == Set(0..<count))
        // Each key maps to one partition; within a partition offsets and send order both increase.
        for partition in Set(received.map(\.partition)) {
            let inPartition = received.filter { $0.partition == partition }
            #expect(inPartition.map(\.offset) == inPartition.map(\.offset).sorted())
            #expect(inPartition.map(KafkaTestSupport.index) == inPartition.map(KafkaTestSupport.index).sorted())
        }
        let sample = try #require(received.first { KafkaTestSupport.index($0) == 7 })
        #expect(KafkaTestSupport.text(sample.key) == "series-2")
        #expect(sample.headers == [KafkaHeader(name: "seq", string: "7"), KafkaHeader(name: "empty", value: nil)])
        #expect(sample.timestamp != nil)
        let lag = try await consumer.lag()
        #expect(lag.count == 4)
        #expect(lag.allSatisfy { $0.lag == 0 && ($0.committed ?? 0) == $0.high })
        #expect(lag.map(\.high).reduce(0, +) == Int64(count))
        await consumer.close()
    }

    @Test func aRestartedConsumerResumesAfterTheCommittedOffsets() async throws {
        let (cluster, topic) = try await KafkaTestSupport.filledTopic(
            brokers: 1, topic: "resume", partitions: 2, count: 100)
        let group = KafkaTestSupport.unique("g")

        let first = try KafkaTestSupport.subscribed(cluster, group: group, topic: topic)
        let early = try await KafkaTestSupport.consume(first, count: 30, batch: 10)
        #expect(early.count == 30)
        try await first.commit(KafkaConsumerBatch(messages: early).commitOffsets)
        await first.close()

        let second = try KafkaTestSupport.subscribed(cluster, group: group, topic: topic)
        var rest = try await KafkaTestSupport.awaitAssignment(second, partitions: 2)
        if rest.isEmpty {
            let lag = try await second.lag()
            #expect(lag.map(\.lag).reduce(0, +) == 70)
        }
        rest += try await KafkaTestSupport.consume(second, count: 70 - rest.count)
        #expect(rest.count == 70)
        let seen = Set(early.map(KafkaTestSupport.index))
        #expect(Set(rest.map(KafkaTestSupport.index)).isDisjoint(with: seen))
        #expect(seen.union(rest.map(KafkaTestSupport.index)) == Set(0..<100))
        await second.close()
    }

    @Test func asyncCommitsLandBeforeCloseReturns() async throws {
        let (cluster, topic) = try await KafkaTestSupport.filledTopic(
            brokers: 1, topic: "async", partitions: 2, count: 30)
        let group = KafkaTestSupport.unique("g")
        let first = try KafkaTestSupport.subscribed(cluster, group: group, topic: topic)
        var read = 0
        for _ in 0..<300 where read < 30 {
            let batch = try await first.poll(maxMessages: 7)
            read += batch.count
            try first.commitAsync(batch.commitOffsets)
        }
        #expect(read == 30)
        await first.close()  // rd_kafka_consumer_close waits for outstanding commits

        let second = try KafkaTestSupport.subscribed(cluster, group: group, topic: topic)
        let early = try await KafkaTestSupport.awaitAssignment(second, partitions: 2)
        #expect(early.isEmpty)
        try #require(try second.assignment().count == 2, "the second consumer was never assigned both partitions")
        #expect(try await second.lag().map { $0.committed ?? 0 }.reduce(0, +) == 30)
        await second.close()
    }

    @Test func pausedPartitionsDeliverNothingUntilResumed() async throws {
        let (cluster, topic) = try KafkaTestSupport.cluster(brokers: 1, topic: "pause", partitions: 1)
        let consumer = try KafkaTestSupport.consumer(cluster, group: KafkaTestSupport.unique("g"))
        try consumer.subscribe(topics: [topic])
        let beforeAssignment = try await KafkaTestSupport.awaitAssignment(consumer, partitions: 1)
        #expect(beforeAssignment.isEmpty)
        let partition = KafkaTopicPartition(topic: topic, partition: 0)
        try consumer.pause([partition])

        let producer = try KafkaTestSupport.producer(cluster)
        try await producer.send(KafkaTestSupport.messages(topic: topic, count: 20))
        await producer.close()
        var whilePaused = 0
        for _ in 0..<5 { whilePaused += try await consumer.poll(maxMessages: 100).count }
        #expect(whilePaused == 0)

        try consumer.resume([partition])
        let after = try await KafkaTestSupport.consume(consumer, count: 20)
        #expect(after.map(KafkaTestSupport.index) == Array(0..<20))
        await consumer.close()
    }
}
