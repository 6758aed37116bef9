import Kafka
import Testing

@Suite struct FaultTests {
    @Test func aBrokerDownThenUpWhileProducingLosesNothing() async throws {
        let (cluster, topic) = try KafkaTestSupport.cluster(brokers: 3, topic: "outage", partitions: 3)
        let producer = try KafkaTestSupport.producer(cluster)
        try await producer.send(KafkaTestSupport.messages(topic: topic, count: 100))
        try cluster.setBrokerDown(1)
        let during = Task { try await producer.send(KafkaTestSupport.messages(topic: topic, count: 100, from: 100)) }
        try await Task.sleep(for: .milliseconds(300))  // choreography, not an assertion: let sends hit the outage
        try cluster.setBrokerUp(1)
        let reports = try await during.value
        #expect(reports.count == 100)
        try await producer.send(KafkaTestSupport.messages(topic: topic, count: 100, from: 200))
        await producer.close()
        try await expectExactly(300, in: topic, cluster)
    }

    @Test func leadershipMovingWhileProducingLosesNothing() async throws {
        let (cluster, topic) = try KafkaTestSupport.cluster(brokers: 3, topic: "leader", partitions: 2)
        try cluster.setPartitionLeader(topic: topic, partition: 0, broker: 1)
        let producer = try KafkaTestSupport.producer(cluster)
        try await producer.send(KafkaTestSupport.messages(topic: topic, count: 50))
        try cluster.setPartitionLeader(topic: topic, partition: 0, broker: 2)
        try cluster.setPartitionLeader(topic: topic, partition: 1, broker: 3)
        try await producer.send(KafkaTestSupport.messages(topic: topic, count: 50, from: 50))
        await producer.close()
        try await expectExactly(100, in: topic, cluster)
    }

    @Test func injectedProduceErrorsAreRetriedWithoutDuplicates() async throws {
        let (cluster, topic) = try KafkaTestSupport.cluster(brokers: 1, topic: "retry", partitions: 1)
        let producer = try KafkaTestSupport.producer(cluster, properties: ["retry.backoff.ms": "10"])
        try await producer.send(KafkaTestSupport.messages(topic: topic, count: 1))
        cluster.pushRequestErrors(.produce, [.notLeaderForPartition, .requestTimedOut, .notEnoughReplicas, .transport])
        let reports = try await producer.send(KafkaTestSupport.messages(topic: topic, count: 50, from: 1))
        #expect(reports.map(\.offset) == Array(1...50))
        await producer.close()
        try await expectExactly(51, in: topic, cluster)
    }

    @Test func aFullLocalQueueMakesSendWaitInsteadOfFailing() async throws {
        let (cluster, topic) = try KafkaTestSupport.cluster(brokers: 1, topic: "tight", partitions: 1)
        let producer = try KafkaTestSupport.producer(cluster, properties: ["queue.buffering.max.messages": "10"])
        let reports = try await producer.send(KafkaTestSupport.messages(topic: topic, count: 200))
        #expect(reports.map(\.offset) == Array(0..<200))
        await producer.close()
    }

    @Test func aMissingPartitionFailsTheBatchWithItsCode() async throws {
        let (cluster, topic) = try KafkaTestSupport.cluster(brokers: 1, topic: "narrow", partitions: 1)
        let producer = try KafkaTestSupport.producer(cluster)
        var batch = KafkaTestSupport.messages(topic: topic, count: 3)
        batch[1].partition = 7
        let error = await #expect(throws: KafkaError.self) { try await producer.send(batch) }
        #expect(error?.code == .unknownPartition)
        #expect(error?.codeName == "_UNKNOWN_PARTITION")
        #expect(error?.message.contains("1 of 3 messages failed") == true)
        await producer.close()
    }

    @Test func allBrokersDownTimesMessagesOutAsADeliveryError() async throws {
        let (cluster, topic) = try KafkaTestSupport.cluster(brokers: 1, topic: "dark", partitions: 1)
        // The cluster is up and serving (a default timeout, so a loaded machine cannot fail this step)...
        let warmUp = try KafkaTestSupport.producer(cluster)
        try await warmUp.send(KafkaTestSupport.messages(topic: topic, count: 1))
        await warmUp.close()
        // ...then every broker goes down under a producer that gives messages half a second.
        let producer = try KafkaTestSupport.producer(cluster, properties: ["message.timeout.ms": "500"])
        try cluster.setBrokerDown(1)
        let error = await #expect(throws: KafkaError.self) {
            try await producer.send(KafkaTestSupport.messages(topic: topic, count: 5))
        }
        #expect(error?.code == .messageTimedOut)
        await producer.close(timeout: .milliseconds(100))
    }

    @Test func invalidConfigurationThrowsInsteadOfCrashing() throws {
        let error = #expect(throws: KafkaError.self) {
            try KafkaProducer(
                configuration: KafkaProducerConfiguration(
                    bootstrapServers: "127.0.0.1:1", properties: ["no.such.property": "1"]))
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains("no.such.property") == true)
        #expect(throws: KafkaError.self) {
            try KafkaConsumer(
                configuration: KafkaConsumerConfiguration(
                    bootstrapServers: "127.0.0.1:1", groupID: "g", properties: ["session.timeout.ms": "soon"]))
        }
    }

    @Test func callsAfterCloseThrowClosed() async throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 1)
        let consumer = try KafkaTestSupport.consumer(cluster, group: "g")
        await consumer.close()
        await consumer.close()
        await #expect(throws: KafkaError.self) { try await consumer.poll() }
        let producer = try KafkaTestSupport.producer(cluster)
        await producer.close()
        let error = await #expect(throws: KafkaError.self) {
            try await producer.send([KafkaProducerMessage(topic: "t", value: [1])])
        }
        #expect(error?.code == .destroyed)
    }

    @Test func statisticsArriveAsJSON() async throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 1)
        let consumer = try KafkaTestSupport.consumer(
            cluster, group: KafkaTestSupport.unique("g"), properties: ["statistics.interval.ms": "100"])
        try consumer.subscribe(topics: [KafkaTestSupport.unique("quiet")])
        let poller = Task {
            for _ in 0..<300 where !Task.isCancelled { _ = try await consumer.poll(timeout: .milliseconds(50)) }
        }
        var first: String?
        for await json in consumer.statistics {
            first = json
            break
        }
        poller.cancel()
        _ = try? await poller.value
        #expect(first?.contains("\"type\": \"consumer\"") == true || first?.contains("\"type\":\"consumer\"") == true)
        await consumer.close()
    }

    private func expectExactly(_ count: Int, in topic: String, _ cluster: EmbeddedKafkaCluster) async throws {
        let consumer = try KafkaTestSupport.consumer(cluster, group: KafkaTestSupport.unique("check"))
        try consumer.subscribe(topics: [topic])
        let received = try await KafkaTestSupport.consume(consumer, count: count)
        // The log holds exactly `count` messages: no duplicate was stored by a retry.
        let stored = try await consumer.lag().map(\.high).reduce(0, +)
        await consumer.close()
        #expect(stored == Int64(count))
        #expect(received.count == count)
        #expect(Set(received.map(KafkaTestSupport.index)) == Set(0..<count))
    }
}
