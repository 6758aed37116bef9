import Kafka
import Testing

@Suite struct RebalanceTests {
    @Test func twoConsumersSharePartitionsAndTheLeaverHandsThemBack() async throws {
        let (cluster, topic) = try KafkaTestSupport.cluster(brokers: 1, topic: "shared", partitions: 4)
        let producer = try KafkaTestSupport.producer(cluster)
        try await producer.send(KafkaTestSupport.messages(topic: topic, count: 40, keys: 8))
        let group = KafkaTestSupport.unique("g")
        let all = (0..<4).map { KafkaTopicPartition(topic: topic, partition: $0) }

        let a = try KafkaTestSupport.consumer(cluster, group: group)
        let eventsA = Collected<KafkaRebalanceEvent>()
        a.onRebalance { eventsA.append($0) }
        try a.subscribe(topics: [topic])
        let first = KafkaConsumerBatch(messages: try await KafkaTestSupport.consume(a, count: 40))
        #expect(first.count == 40)
        try await a.commit(first.commitOffsets)

        // B commits whatever it has read when it loses partitions: the revoke handler's job.
        let b = try KafkaTestSupport.consumer(cluster, group: group)
        let eventsB = Collected<KafkaRebalanceEvent>()
        let inFlightB = Collected<KafkaConsumerMessage>()
        let revokeCommitB = Collected<String>()
        b.onRebalance { [weak b] event in
            eventsB.append(event)
            guard case .revoked = event, let b else { return }
            do {
                try b.commitSync(KafkaConsumerBatch(messages: inFlightB.all).commitOffsets)
                revokeCommitB.append("ok")
            } catch { revokeCommitB.append("\(error)") }
        }
        try b.subscribe(topics: [topic])
        var readA: [KafkaConsumerMessage] = [], readB: [KafkaConsumerMessage] = []
        var polls = 0
        while polls < 300 {
            let assignedA = Set(try a.assignment()), assignedB = Set(try b.assignment())
            if !assignedA.isEmpty && !assignedB.isEmpty && assignedA.union(assignedB) == Set(all) { break }
            try await pollBoth(a, b, &readA, &readB)
            polls += 1
        }
        let assignedA = try a.assignment(), assignedB = try b.assignment()
        #expect(Set(assignedA).isDisjoint(with: assignedB))
        #expect(Set(assignedA).union(assignedB) == Set(all))
        #expect(!assignedA.isEmpty && !assignedB.isEmpty)
        #expect(readA.isEmpty && readB.isEmpty)  // everything was committed before B joined

        try await producer.send(KafkaTestSupport.messages(topic: topic, count: 40, keys: 8, from: 40))
        await producer.close()
        polls = 0
        while readA.count + readB.count < 40 && polls < 300 {
            try await pollBoth(a, b, &readA, &readB)
            polls += 1
        }
        #expect(readA.count + readB.count == 40)
        #expect(!readB.isEmpty)
        try await a.commit(KafkaConsumerBatch(messages: readA).commitOffsets)
        for message in readB { inFlightB.append(message) }

        await b.close()
        try await KafkaTestSupport.awaitAssignment(a, partitions: 4)
        #expect(try a.assignment() == all)
        #expect(revokeCommitB.all == ["ok"])
        // B's in-flight offsets were committed on revoke, so A takes over with nothing left to read.
        #expect(try await a.lag().allSatisfy { $0.lag == 0 })
        await a.close()

        let historyA = eventsA.all
        #expect(historyA.first == .assigned(all))
        #expect(historyA.contains(.revoked(all)))
        #expect(historyA.contains(.assigned(assignedA)))
        #expect(historyA.last == .revoked(all))
        #expect(eventsB.all == [.assigned(assignedB), .revoked(assignedB)])
        // The stream carries the same events as the handler, and ends on close.
        var streamed: [KafkaRebalanceEvent] = []
        for await event in a.rebalanceEvents { streamed.append(event) }
        #expect(streamed == historyA)
    }

    private func pollBoth(
        _ a: KafkaConsumer, _ b: KafkaConsumer, _ readA: inout [KafkaConsumerMessage], _ readB: inout [KafkaConsumerMessage]
    ) async throws {
        async let pollA = a.poll(maxMessages: 100, timeout: .milliseconds(50))
        async let pollB = b.poll(maxMessages: 100, timeout: .milliseconds(50))
        readA += try await pollA.messages
        readB += try await pollB.messages
    }
}
