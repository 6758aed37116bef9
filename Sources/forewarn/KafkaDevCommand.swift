import ArgumentParser
import Foundation
import Kafka

struct KafkaDevCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kafka-dev",
        abstract: "Run librdkafka's mock Kafka cluster on loopback until Ctrl-C or SIGTERM.",
        discussion: """
            The first line of standard output is the bootstrap address, written at once so other \
            processes can connect; progress goes to standard error. Everything lives in memory: \
            stopping the cluster loses every topic. Topics not created here are
            auto-created on use.

              forewarn kafka-dev
              forewarn kafka-dev --brokers 1 --partitions 8 --topic events
              forewarn kafka-dev \\
                  --topic events > kafka.addr &   # then: head -1 kafka.addr
              forewarn kafka-dev --json    # {"bootstrap_servers":"127.0.0.1:...",...}
            """
    )

    @Option(help: "Number of brokers (ids 1...N).")
    var brokers: Int = 3

    @Option(help: "Partitions of each --topic.")
    var partitions: Int = 4

    @Option(name: .customLong("topic"), help: "A topic to create before printing the address (repeatable).")
    var topics: [String] = []

    @Flag(help: "Print the first line as a JSON object instead of the bare address.")
    var json = false

    func validate() throws {
        guard (1...16).contains(brokers) else { throw ValidationError("--brokers must be between 1 and 16") }
        guard (1...10_000).contains(partitions) else { throw ValidationError("--partitions must be between 1 and 10000") }
        for topic in topics where !Self.isValidTopic(topic) {
            throw ValidationError("--topic '\(topic)' is not a Kafka topic name: use 1-249 of [A-Za-z0-9._-]")
        }
    }

    static func isValidTopic(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 249 && name != "." && name != ".."
            && name.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0)) }
    }

    func run() async throws {
        let stop = await ShutdownSignal.trap()
        let cluster: EmbeddedKafkaCluster
        do {
            cluster = try EmbeddedKafkaCluster(brokers: brokers)
            for topic in topics {
                try cluster.createTopic(name: topic, partitions: partitions, replicationFactor: min(3, brokers))
            }
        } catch let error as KafkaError {
            throw CommandFailure("cannot start the mock cluster: \(error)")
        }
        let line: String
        if json {
            let object: [String: Any] = ["bootstrap_servers": cluster.bootstrapServers, "brokers": brokers, "topics": topics, "partitions": partitions]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
            line = String(decoding: data, as: UTF8.self)
        } else {
            line = cluster.bootstrapServers
        }
        // Unbuffered: a reader of the pipe gets the line now, not when the buffer fills.
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
        printError("mock Kafka cluster of \(brokers) broker(s) up; \(topics.count) topic(s) created; Ctrl-C to stop")
        let signal = await stop.wait()
        printError("\(signal.map { "\($0)" } ?? "cancelled"): stopping the mock cluster")
        withExtendedLifetime(cluster) {}
    }
}
