import Foundation
import Kafka
import Scoring
import EventArchive

/// Reads the demo's predictions topic and tallies them per model and version.
final class PredictionReader {
    private let consumer: KafkaConsumer
    private(set) var count = 0
    /// model -> version -> predictions.
    private(set) var perVersion: [String: [Int: Int]] = [:]
    /// model -> "series@time" of every flagged event.
    private(set) var flagged: [String: Set<String>] = [:]

    init(bootstrap: String) throws {
        consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(
                bootstrapServers: bootstrap, groupID: "demo-reader",
                properties: ["auto.offset.reset": "earliest", "fetch.wait.max.ms": "10"]))
        try consumer.subscribe(topics: ["predictions"])
    }

    /// Reads until `total` predictions arrived in all (or 30 s pass without any).
    func read(until total: Int, metrics: ServeMetrics, progress: ProgressDisplay? = nil) async throws {
        var idle = 0
        while count < total, idle < 300 {
            let batch = try await consumer.poll(maxMessages: 5_000, timeout: .milliseconds(100))
            idle = batch.isEmpty ? idle + 1 : 0
            for m in batch.messages {
                guard let p = (try? JSONSerialization.jsonObject(with: Data(m.value))) as? [String: Any],
                    let model = p["model"] as? String, let version = p["version"] as? Int
                else { continue }
                count += 1
                perVersion[model, default: [:]][version, default: 0] += 1
                if p["anomaly"] as? Bool == true, let series = p["series"] as? String, let time = p["time"] as? String,
                    let ms = EventTime.parse(time)
                {
                    flagged[model, default: []].insert(DemoStream.key(series, ms))
                }
            }
            progress?.update(count)
        }
    }

    func close() async { await consumer.close() }
}
