import Foundation
import Kafka
import Testing

/// `forewarn kafka-dev` run as a user would, used by a client in this process.
@Suite struct KafkaDevCLITests {
    @Test func theFirstLineIsABootstrapAddressClientsCanUse() async throws {
        let dev = try BackgroundProcess(["kafka-dev", "--brokers", "1", "--partitions", "2", "--topic", "cli-events"])
        let bootstrap = try #require(dev.readLine())
        #expect(bootstrap.hasPrefix("127.0.0.1:"))

        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(bootstrapServers: bootstrap))
        let sent = (0..<10).map { KafkaProducerMessage(topic: "cli-events", key: Array("k\($0)".utf8), value: Array("\($0)".utf8)) }
        let reports = try await producer.send(sent)
        #expect(Set(reports.map(\.partition)) == [0, 1])  // the topic was created with 2 partitions
        await producer.close()

        let consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(bootstrapServers: bootstrap, groupID: "cli-test"))
        try consumer.subscribe(topics: ["cli-events"])
        var received: [KafkaConsumerMessage] = []
        for _ in 0..<300 where received.count < 10 {
            let batch = try await consumer.poll()
            received += batch.messages
            try await consumer.commit(batch.commitOffsets)
        }
        await consumer.close()
        #expect(Set(received.map(\.value)) == Set(sent.map(\.value)))
        #expect(received.count == 10)

        let (status, stderr) = dev.terminate()
        #expect(status == 0)
        #expect(stderr.contains("stopping the mock cluster"))
    }

    @Test func jsonPutsTheAddressInAnObjectOnTheFirstLine() throws {
        let dev = try BackgroundProcess(["kafka-dev", "--brokers", "2", "--json"])
        let object = jsonObject(try #require(dev.readLine()))
        let servers = try #require(object["bootstrap_servers"] as? String)
        #expect(servers.split(separator: ",").count == 2)
        #expect(object["brokers"] as? Int == 2)
        #expect(dev.terminate().status == 0)
    }

    @Test func badOptionsAreUsageErrors() throws {
        let zero = try CLIRunner.run(["kafka-dev", "--brokers", "0"])
        #expect(zero.status == 64)
        #expect(zero.stderr.contains("--brokers"))
        let badTopic = try CLIRunner.run(["kafka-dev", "--topic", "no spaces"])
        #expect(badTopic.status == 64)
        let help = try CLIRunner.run(["kafka-dev", "--help"])
        #expect(help.stdout.contains("forewarn kafka-dev --json"))
    }
}
