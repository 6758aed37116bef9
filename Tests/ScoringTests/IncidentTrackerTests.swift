import EventArchive
import Foundation
import Kafka
import ModelKinds
import Scoring
import Testing

/// Consecutive flags of one series are one incident, across batches; the prediction JSON names it.
@Suite struct IncidentTrackerTests {
    static func batch(_ rows: [(series: Int32, time: Int64)]) -> EventBatch {
        EventBatch(
            fieldNames: ["v"], time: rows.map(\.time), seriesCodes: rows.map(\.series), seriesNames: ["a", "b"],
            fields: [rows.map { _ in 1 }], eventIDs: rows.map { "\($0.series)-\($0.time)" })
    }

    @Test func consecutiveFlagsOfASeriesAreOneIncidentUntilAnUnflaggedEvent() {
        var tracker = IncidentTracker()
        let first = Self.batch([(0, 1), (1, 1), (0, 2), (1, 2), (0, 3)])
        var p = PredictionColumns(score: [0.99, 0.2, 0.999, 0.3, 0.995], anomaly: [true, false, true, false, true])
        tracker.mark(first, &p)
        #expect(p.incidentStart == [1, PredictionColumns.noIncident, 1, PredictionColumns.noIncident, 1])
        #expect(p.incidentOpens == [true, false, false, false, false])
        #expect(p.incidentPeak?[4] == 0.999)
        // The incident goes on in the next batch; a missing value neither joins nor ends it; an unflagged event ends it.
        let second = Self.batch([(0, 4), (0, 5), (0, 6), (0, 7)])
        var q = PredictionColumns(score: [.nan, 0.98, 0.1, 0.97], anomaly: [false, true, false, true])
        tracker.mark(second, &q)
        #expect(q.incidentStart == [PredictionColumns.noIncident, 1, PredictionColumns.noIncident, 7])
        #expect(q.incidentOpens == [false, false, false, true])
    }

    @Test func thePredictionNamesItsIncident() throws {
        var tracker = IncidentTracker()
        let events = Self.batch([(0, 1_767_225_600_000), (0, 1_767_225_660_000)])
        var p = PredictionColumns(score: [0.999, 0.9999], anomaly: [true, true])
        tracker.mark(events, &p)
        let encoder = PredictionEncoder()
        var out = KafkaProducerBatch(topic: "predictions")
        encoder.encode(events, stream: "s", model: "m", version: 1, predictions: p, into: &out)
        let json = try (0..<2).map { i in
            try #require(try JSONSerialization.jsonObject(with: Data(Array(out.values[out.valueRange(i)]))) as? [String: Any])
        }
        #expect(json.map { $0["incident"] as? String } == ["a@1767225600000", "a@1767225600000"])
        #expect(json[0]["incident_opens"] as? Bool == true && json[1]["incident_opens"] == nil)
        #expect(json[1]["incident_peak"] as? Double == 0.9999)
    }
}
