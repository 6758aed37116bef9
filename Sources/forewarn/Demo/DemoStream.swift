import EventArchive
import Foundation
import Kafka

/// The live day of the demo: simulated events as Kafka messages, and the labels of what was injected.
struct DemoStream {
    var messages: [KafkaProducerMessage] = []
    /// (series, time) of every injected anomaly in the live day, and their kinds.
    var labelled: [String: String] = [:]

    static func key(_ series: String, _ time: Int64) -> String { "\(series)@\(time)" }

    /// One JSON object per event, as the spec describes them; missing values are sent as null.
    mutating func add(_ batch: EventBatch, spec: StreamSpec, topic: String) {
        for i in 0..<batch.count {
            var json = "{\"\(spec.time)\":\(batch.time[i])"
            if let key = spec.key { json += ",\"\(key)\":\"\(batch.series(at: i))\"" }
            if let id = spec.id, let ids = batch.eventIDs { json += ",\"\(id)\":\"\(ids[i])\"" }
            for (f, name) in batch.fieldNames.enumerated() {
                let v = batch.fields[f][i]
                json += ",\"\(name)\":" + (v.isFinite ? "\(v)" : "null")
            }
            json += "}"
            messages.append(KafkaProducerMessage(topic: topic, key: Array(batch.series(at: i).utf8), value: Array(json.utf8)))
        }
    }
}

/// Precision and recall of one model's flags against the injected anomalies.
struct DemoScore {
    var flagged = 0
    var truePositives = 0
    var labelled = 0

    var precision: Double { flagged == 0 ? .nan : Double(truePositives) / Double(flagged) }
    var recall: Double { labelled == 0 ? .nan : Double(truePositives) / Double(labelled) }
}
