import Foundation
import Logging
import Synchronization
import Testing

@testable import Kafka

/// Collects what a logger is given, for the tests to read.
final class CapturedLogs: Sendable {
    struct Entry: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    let entries = Mutex<[Entry]>([])

    var logger: Logger {
        var logger = Logger(label: "test.kafka") { _ in Handler(sink: self) }
        logger.logLevel = .debug
        return logger
    }

    var all: [Entry] { entries.withLock { $0 } }

    struct Handler: LogHandler {
        let sink: CapturedLogs
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .debug
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let fields = (event.metadata ?? [:]).mapValues { "\($0)" }
            sink.entries.withLock { $0.append(Entry(level: event.level, message: "\(event.message)", metadata: fields)) }
        }
    }
}

@Suite struct KafkaLogBridgeTests {
    @Test func syslogLevelsMapToSwiftLogLevels() {
        #expect([0, 2, 3, 4, 5, 6, 7].map { KafkaLogBridge.level(Int32($0)) } == [.critical, .critical, .error, .warning, .notice, .info, .debug])
    }

    @Test func aRepeatingLineIsRateLimitedPerFacilityAndSaysHowManyWereLeftOut() async throws {
        let logs = CapturedLogs()
        let bridge = KafkaLogBridge(logger: logs.logger, burst: 3, window: .milliseconds(200))
        for _ in 0..<10 { bridge.log(level: 3, client: "rdkafka#consumer-1", facility: "FAIL", "127.0.0.1:1/bootstrap: Connect failed") }
        bridge.log(level: 4, client: "rdkafka#consumer-1", facility: "REQTMOUT", "timed out")
        #expect(logs.all.count == 4, "3 FAIL lines and the other facility's one")
        #expect(logs.all.first?.metadata == ["client": "rdkafka#consumer-1", "facility": "FAIL"])
        #expect(logs.all.first?.level == .error && logs.all.last?.level == .warning)
        try await Task.sleep(for: .milliseconds(250))
        bridge.log(level: 3, client: "rdkafka#consumer-1", facility: "FAIL", "again")
        #expect(logs.all.last?.message == "again" && logs.all.last?.metadata["suppressed"] == "7", "\(logs.all.last.map { "\($0)" } ?? "")")
    }

    /// A consumer whose broker does not exist says so through its logger, structured, not raw on stderr.
    @Test func aConsumersOwnLinesReachItsLogger() async throws {
        let logs = CapturedLogs()
        var configuration = KafkaConsumerConfiguration(bootstrapServers: "127.0.0.1:1", groupID: "nobody")
        configuration.logger = logs.logger
        let consumer = try KafkaConsumer(configuration: configuration)
        try consumer.subscribe(topics: ["t"])
        let deadline = ContinuousClock.now + .seconds(20)
        while logs.all.isEmpty, ContinuousClock.now < deadline { _ = try await consumer.poll(timeout: .milliseconds(200)) }
        let first = try #require(logs.all.first, "no librdkafka line reached the logger")
        #expect(first.metadata["client"]?.hasPrefix("rdkafka#consumer") == true && first.metadata["facility"] != nil, "\(first)")
        _ = await consumer.close(timeout: .seconds(2))
    }
}
