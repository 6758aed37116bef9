import EventArchive
import Foundation
import Kafka
import Scoring
import ModelKinds
import Testing

/// The prediction JSON of docs/formats.md, byte for byte where it matters: what every model's
/// prediction shares is encoded once, and each message still parses on its own.
@Suite struct PredictionEncoderTests {
    let events = EventBatch(
        fieldNames: ["kwh"], time: [1_767_225_600_000, 1_767_225_600_123, 1_767_225_601_999], seriesCodes: [0, 1, 0],
        seriesNames: ["m-1", "zone \"7\"\\north"], fields: [[0.3, 0.4, 0.5]], eventIDs: ["a", "tab\there", ""])

    func decode(_ batch: KafkaProducerBatch, _ i: Int) throws -> [String: Any] {
        let bytes = Array(batch.values[batch.valueRange(i)])
        return try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    @Test func everyModelsPredictionsCarryTheEventsFieldsAndTheirOwnVerdicts() throws {
        let encoder = PredictionEncoder()
        let shared = encoder.eventFields(events)
        var out = KafkaProducerBatch(topic: "predictions")
        let forest = PredictionColumns(score: [0.25, 1, .nan], anomaly: [false, true, false])
        let forecast = PredictionColumns(
            score: [0.0000004, 0.5, 0.9999996], anomaly: [false, false, true], forecast: [0.1, 1e-9, .infinity],
            lower: [-2.5, 0, .nan], upper: [123_456.75, 1, 3])
        encoder.encode(events, stream: "meters", model: "if", version: 3, predictions: forest, shared: shared, into: &out)
        encoder.encode(events, stream: "meters", model: "fc", version: 1, predictions: forecast, shared: shared, into: &out)
        #expect(out.count == 6)

        let first = try decode(out, 0)
        #expect(first["stream"] as? String == "meters" && first["model"] as? String == "if" && first["version"] as? Int == 3)
        #expect(first["event_id"] as? String == "a" && first["series"] as? String == "m-1")
        #expect(first["time"] as? String == "2026-01-01T00:00:00.000Z")
        #expect(first["score"] as? Double == 0.25 && first["anomaly"] as? Bool == false && first["forecast"] == nil)
        let second = try decode(out, 1)
        #expect(second["event_id"] as? String == "tab\there" && second["series"] as? String == "zone \"7\"\\north")
        #expect(second["score"] as? Double == 1 && second["anomaly"] as? Bool == true)
        #expect(try decode(out, 2)["score"] is NSNull, "NaN is null")

        let fc = try (3..<6).map { try decode(out, $0) }
        #expect(fc.map { $0["model"] as? String } == ["fc", "fc", "fc"])
        #expect(fc.map { $0["score"] as? Double } == [0, 0.5, 1], "six decimals")
        #expect(fc[0]["forecast"] as? Double == 0.1 && fc[0]["lower"] as? Double == -2.5 && fc[0]["upper"] as? Double == 123_456.75)
        #expect(fc[1]["forecast"] as? Double == 1e-9)
        #expect(fc[2]["forecast"] is NSNull && fc[2]["lower"] is NSNull && fc[2]["upper"] as? Double == 3)
        #expect(fc[2]["time"] as? String == "2026-01-01T00:00:01.999Z")

        let keys = (0..<6).map { String(decoding: out.keys[out.keyRange($0)!], as: UTF8.self) }
        #expect(keys == ["m-1", "zone \"7\"\\north", "m-1", "m-1", "zone \"7\"\\north", "m-1"], "keyed by the raw series name")
    }

    @Test func aFlaggedForestPredictionSaysWhatIsolatedIt() throws {
        var p = PredictionColumns(score: [0.2, 0.9999, 0.3], anomaly: [false, true, false])
        var drivers = Drivers(names: ["kwh", "volt \"a\""], events: 3)
        drivers.index[1 * drivers.top] = 1
        drivers.share[1 * drivers.top] = 0.614
        drivers.index[1 * drivers.top + 1] = 0
        drivers.share[1 * drivers.top + 1] = 0.386
        p.drivers = drivers
        var out = KafkaProducerBatch(topic: "predictions")
        PredictionEncoder().encode(events, stream: "s", model: "if", version: 1, predictions: p, into: &out)
        #expect(try decode(out, 0)["explain"] == nil)
        let explain = try #require(try decode(out, 1)["explain"] as? [String: Double])
        #expect(explain == ["volt \"a\"": 0.61, "kwh": 0.39])
        #expect(drivers.text(1) == "volt \"a\":0.61;kwh:0.39" && drivers.text(0).isEmpty)
    }

    @Test func theSharedFieldsEncodeAsTheStandaloneCallDoes() {
        let encoder = PredictionEncoder()
        let p = PredictionColumns(score: [0.1, 0.2, 0.3], anomaly: [false, false, false])
        var shared = KafkaProducerBatch(topic: "t"), alone = KafkaProducerBatch(topic: "t")
        encoder.encode(events, stream: "s", model: "m", version: 1, predictions: p, shared: encoder.eventFields(events), into: &shared)
        encoder.encode(events, stream: "s", model: "m", version: 1, predictions: p, into: &alone)
        #expect(shared.values == alone.values && shared.valueEnds == alone.valueEnds && shared.keys == alone.keys)
    }

    @Test func aForecastersPredictionNamesItsDrivingFieldCompactly() throws {
        let encoder = PredictionEncoder()
        var p = PredictionColumns(
            score: [0.999, 0.2, 0.5], anomaly: [true, false, false], forecast: [1, 2, 3], lower: [0, 1, 2], upper: [2, 3, 4])
        p.explanation = PredictionColumns.Explanation(
            fieldNames: ["kwh", "volt\"s"], field: [1, -1, 0], actual: [9.5, .nan, .nan], sigmas: [-7.456, .nan, .nan],
            fieldForecast: [], fieldLower: [], fieldUpper: [], fieldSigmas: [])
        var out = KafkaProducerBatch(topic: "predictions")
        encoder.encode(events, stream: "meters", model: "fc", version: 1, predictions: p, into: &out)
        let first = try decode(out, 0), second = try decode(out, 1), third = try decode(out, 2)
        #expect(first["field"] as? String == "volt\"s" && first["actual"] as? Double == 9.5 && first["sigmas"] as? Double == -7.46)
        #expect(second["field"] == nil && second["actual"] == nil && second["sigmas"] == nil, "no driver, no members")
        #expect(third["field"] as? String == "kwh" && third["actual"] is NSNull && third["sigmas"] is NSNull, "a missing value")
    }
}
