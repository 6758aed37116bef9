import Foundation
import Kafka
import Scoring
import Testing

/// `kafka.instance_id` (or `FOREWARN_KAFKA_INSTANCE_ID`) becomes the consumer's `group.instance.id`.
@Suite struct StaticMembershipTests {
    func config(_ kafka: String, environment: [String: String] = [:]) throws -> ServeConfig {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("forewarn-static-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "stream: meters\ntime: ts\nfields: [kwh]\n".write(to: dir.appendingPathComponent("meters.yaml"), atomically: true, encoding: .utf8)
        return try ServeConfig.parse(
            yaml: """
                kafka: {brokers: embedded\(kafka)}
                inputs: [{topic: meters, spec: meters.yaml}]
                models: [{name: meters-if}]
                output: {topic: predictions}
                """, relativeTo: dir, environment: environment)
    }

    func instanceID(_ config: ServeConfig) -> String? {
        KafkaClientSettings.consumer(config, bootstrapServers: "localhost:9092").properties["group.instance.id"]
    }

    @Test func withoutAnInstanceIDMembershipIsDynamic() throws {
        #expect(instanceID(try config("")) == nil)
    }

    @Test func theConfiguredInstanceIDReachesTheConsumer() throws {
        #expect(instanceID(try config(", instance_id: scorer-0")) == "scorer-0")
    }

    @Test func theEnvironmentWinsOverTheFile() throws {
        let c = try config(", instance_id: scorer-0", environment: ["FOREWARN_KAFKA_INSTANCE_ID": "scorer-1"])
        #expect(instanceID(c) == "scorer-1")
        #expect(instanceID(try config("", environment: ["FOREWARN_KAFKA_INSTANCE_ID": "scorer-2"])) == "scorer-2")
    }

    @Test func theProducerDoesNotCarryIt() throws {
        let c = try config(", instance_id: scorer-0")
        #expect(KafkaClientSettings.producer(c, bootstrapServers: "localhost:9092").properties["group.instance.id"] == nil)
    }

    @Test func theIDIsGivenOnce() {
        #expect(throws: (any Error).self) { try config(", instance_id: a, config: {group.instance.id: b}") }
    }
}
