import EventArchive
import Foundation
import Kafka
import Scoring
import Testing

/// Consumed messages to predictions and dead letters, in-process: no Kafka, real models.
@Suite struct BatchScorerTests {
    static func reading(_ i: Int, kwh: String = "0.3", volts: String = "230") -> String {
        "{\"ts\":\(1_767_225_600_000 + Int64(i) * 1000),\"meter\":\"m\(i % 3)\",\"kwh\":\(kwh),\"voltage\":\(volts),\"reading_id\":\"r\(i)\"}"
    }

    static func message(_ topic: String, partition: Int32 = 0, offset: Int64, _ json: String) -> KafkaConsumerMessage {
        KafkaConsumerMessage(topic: topic, partition: partition, offset: offset, key: nil, value: Array(json.utf8), timestamp: 1_000 + offset, headers: [])
    }

    /// Each prediction message as JSON.
    static func decoded(_ records: KafkaProducerBatch) -> [[String: Any]] {
        (0..<records.count).map { i in
            let bytes = Data(records.values[records.valueRange(i)])
            return (try? JSONSerialization.jsonObject(with: bytes)) as? [String: Any] ?? [:]
        }
    }

    @Test func aBatchIsDecodedAndScoredWithTheServedVersion() throws {
        let f = try ModelFixture()
        try f.register("meters-if", seed: 1, fields: ["kwh", "voltage"], promote: true)
        let config = try f.config()
        let watcher = try ModelWatcher(registry: f.registry, models: config.models, inputs: config.inputs)
        var messages = (0..<20).map { Self.message("meters", partition: Int32($0 % 2), offset: Int64($0), Self.reading($0)) }
        messages[7] = Self.message("meters", partition: 1, offset: 7, Self.reading(7, kwh: "40", volts: "120"))
        let batch = KafkaConsumerBatch(messages: messages)

        let scored = BatchScorer(config: config).score(batch, models: watcher.current)
        #expect(scored.eventsIn == 20 && scored.predictionsOut == 20 && scored.deadLetters == 0)
        #expect(scored.offsets == batch.commitOffsets)
        #expect(scored.oldestTimestamp == 1_000)
        let events = try #require(scored.events["meters"])
        #expect(events.count == 20 && events.eventIDs?[7] == "r7")
        let p = try #require(scored.predictions.first)
        #expect(scored.predictions.count == 1 && p.model == "meters-if" && p.version == 1 && p.stream == "meters")
        #expect(p.columns.anomaly[7], "the spike is flagged")
        #expect(p.columns.anomaly.filter { $0 }.count == scored.anomalies && scored.anomalies < 5)
        #expect(p.columns.score.allSatisfy { (0...1).contains($0) })
        let json = Self.decoded(scored.predictionMessages)
        #expect(scored.predictionMessages.topic == "predictions" && json.count == 20)
        #expect(json.map { $0["event_id"] as? String } == (0..<20).map { "r\($0)" })
        #expect(json.allSatisfy { $0["model"] as? String == "meters-if" && $0["version"] as? Int == 1 })
        #expect(json[7]["anomaly"] as? Bool == true)
    }

    @Test func malformedEventsBecomeDeadLettersWithTheirReason() throws {
        let f = try ModelFixture()
        try f.register("meters-if", seed: 1, fields: ["kwh", "voltage"], promote: true)
        let config = try f.config()
        let watcher = try ModelWatcher(registry: f.registry, models: config.models, inputs: config.inputs)
        let bad = ["not json", Self.reading(3, kwh: "\"x\""), "{\"meter\":\"m\",\"kwh\":1,\"voltage\":2}"]
        let messages = [
            Self.message("meters", offset: 0, Self.reading(0)), Self.message("meters", offset: 1, bad[0]),
            Self.message("meters", offset: 2, Self.reading(2)), Self.message("meters", partition: 3, offset: 40, bad[1]),
            Self.message("meters", offset: 4, bad[2]),
        ]
        let scored = BatchScorer(config: config).score(KafkaConsumerBatch(messages: messages), models: watcher.current)
        #expect(scored.eventsIn == 5 && scored.deadLetters == 3 && scored.predictionsOut == 2)
        #expect(Self.decoded(scored.predictionMessages).map { $0["event_id"] as? String } == ["r0", "r2"])
        let dead = scored.deadLetterMessages
        #expect(dead.count == 3 && dead.allSatisfy { $0.topic == "dead" })
        #expect(dead.map { String(decoding: $0.value, as: UTF8.self) } == bad, "the original messages, untouched")
        func header(_ m: KafkaProducerMessage, _ name: String) -> String {
            String(decoding: m.headers.first { $0.name == name }?.value ?? [], as: UTF8.self)
        }
        #expect(header(dead[0], DeadLetter.errorHeader).hasPrefix("invalid JSON"))
        #expect(header(dead[1], DeadLetter.errorHeader).contains("'kwh' is not a number"))
        #expect(header(dead[2], DeadLetter.errorHeader).contains("missing field 'ts'"))
        #expect(dead.map { header($0, DeadLetter.sourceHeader) } == ["meters/0/1", "meters/3/40", "meters/0/4"])
        // The offsets still move past the refused messages: they are handled, not lost.
        #expect(scored.offsets == KafkaConsumerBatch(messages: messages).commitOffsets)
    }

    @Test func eachStreamIsScoredByItsOwnModelsOnly() throws {
        let f = try ModelFixture()
        try f.register("meters-if", seed: 1, fields: ["kwh", "voltage"], promote: true)
        try f.register("pumps-if", seed: 2, fields: ["pressure"], promote: true)
        let config = try f.config(pumps: true)
        let watcher = try ModelWatcher(registry: f.registry, models: config.models, inputs: config.inputs)
        var messages: [KafkaConsumerMessage] = []
        for i in 0..<10 {
            if i % 3 == 0 {
                let json = "{\"ts\":\(1_767_225_600_000 + i * 1000),\"pump\":\"p1\",\"pressure\":0.3,\"reading_id\":\"p\(i)\"}"
                messages.append(Self.message("pumps", offset: Int64(i), json))
            } else {
                messages.append(Self.message("meters", offset: Int64(i), Self.reading(i)))
            }
        }
        let scored = BatchScorer(config: config).score(KafkaConsumerBatch(messages: messages), models: watcher.current)
        #expect(scored.events["meters"]?.count == 6 && scored.events["pumps"]?.count == 4)
        let byModel = Dictionary(scored.predictions.map { ($0.model, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(scored.predictions.count == 2)
        #expect(byModel["meters-if"]?.stream == "meters" && byModel["meters-if"]?.columns.score.count == 6)
        #expect(byModel["pumps-if"]?.stream == "pumps" && byModel["pumps-if"]?.columns.score.count == 4)
        let json = Self.decoded(scored.predictionMessages)
        #expect(json.count == 10 && scored.predictionsOut == 10)
        for p in json {
            let id = p["event_id"] as? String ?? ""
            #expect((p["model"] as? String == "pumps-if") == id.hasPrefix("p"), "\(id) scored by \(p["model"] ?? "nothing")")
            #expect(p["stream"] as? String == (id.hasPrefix("p") ? "pumps" : "meters"))
        }
    }
}
