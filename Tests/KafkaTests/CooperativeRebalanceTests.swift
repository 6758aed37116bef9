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
        // Incremental: A's first revocation is part of what it held (an eager rebalance revokes all four), and its
        // events replayed in order give exactly what it holds. Alone the history is [assigned(all), revoked(taken)];
        // on a loaded machine librdkafka 2.0.2 has been seen to run one more round (revoking the two A had kept and
        // assigning two back), which is still truthful, so the test asserts the history, not one particular trace.
        let events = eventsA.all
        #expect(events.first == .assigned(all))
        let revocations = events.compactMap { if case .revoked(let p) = $0 { p } else { nil } }
        #expect(revocations.first.map { !$0.isEmpty && $0.count < all.count } == true, "\(events)")
        var owned = Set<KafkaTopicPartition>()
        for event in events {
            switch event {
            case .assigned(let p): owned.formUnion(p)
            case .revoked(let p), .lost(let p): owned.subtract(p)
            case .failed: owned = []
            }
        }
        #expect(owned == Set(kept), "\(events)")
        await b.close()
        await a.close()
    }
}
