import Kafka
import Testing

@Suite struct CooperativeRebalanceTests {
    @Test func cooperativeStickyMovesOnlyTheHandedOverPartitions() async throws {
        let (cluster, topic) = try KafkaTestSupport.cluster(brokers: 1, topic: "coop", partitions: 4)
        let group = KafkaTestSupport.unique("g")
        let cooperative = ["partition.assignment.strategy": "cooperative-sticky"]
        let all = (0..<4).map { KafkaTopicPartition(topic: topic, partition: $0) }
        let a = try KafkaTestSupport.consumer(cluster, group: group, properties: cooperative)
        let eventsA = Collected<KafkaRebalanceEvent>()
        a.onRebalance { eventsA.append($0) }
        try a.subscribe(topics: [topic])
        try await KafkaTestSupport.awaitAssignment(a, partitions: 4)

        let b = try KafkaTestSupport.consumer(cluster, group: group, properties: cooperative)
        try b.subscribe(topics: [topic])
        // The mock's two-step cooperative rebalance takes about 13 s alone; beside other tests, longer. The bound
        // is on the behaviour, not on the time it takes.
        let deadline = ContinuousClock.now + .seconds(90)
        while ContinuousClock.now < deadline {
            if try a.assignment().count == 2 && b.assignment().count == 2 { break }
            async let pollA = a.poll(timeout: .milliseconds(50))
            async let pollB = b.poll(timeout: .milliseconds(50))
            _ = try await (pollA, pollB)
        }
        let kept = try a.assignment(), taken = try b.assignment()
        #expect(kept.count == 2 && taken.count == 2)
        #expect(Set(kept).union(taken) == Set(all))
        // Incremental: A never gave up the partitions it kept.
        #expect(eventsA.all == [.assigned(all), .revoked(taken)])
        await b.close()
        await a.close()
    }
}
