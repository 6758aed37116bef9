import EventArchive
import Foundation
import Kafka
import ModelKinds
import ModelRegistry
import Scoring
import Training

/// A few simulated meters: `days` of history in an archive, and the live day after as Kafka
/// messages and as a CSV file, so one set of events can go through every scoring path.
final class SimulatedMeters {
    let dir: URL
    let archive: String
    let registry: String
    let spec: StreamSpec
    /// The live day, in time order.
    let live: EventBatch

    init(series: Int = 4, days: Int = 3, seed: UInt64 = 11) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("forewarn-kinds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        archive = dir.appendingPathComponent("archive").path
        registry = dir.appendingPathComponent("Models").path
        let simulator = Simulator(config: SimulationConfig(series: series, days: days + 1, seed: seed, anomalyRate: 0.01))
        spec = simulator.spec
        try StreamCatalog.register(spec: spec, root: URL(fileURLWithPath: archive))
        let writer = try ArchiveWriter(root: URL(fileURLWithPath: archive), spec: spec)
        let liveStart = SimulationConfig.defaultStart + Int64(days) * 86_400_000
        var today: EventBatch?
        _ = try simulator.run { batch in
            let history = batch.time.indices.filter { batch.time[$0] < liveStart }
            if !history.isEmpty { try writer.append(batch.rows(history)) }
            let rows = batch.time.indices.filter { batch.time[$0] >= liveStart }
            guard !rows.isEmpty else { return }
            let part = batch.rows(rows)
            if var t = today {
                t.time += part.time
                t.seriesCodes += part.seriesCodes
                t.fields = zip(t.fields, part.fields).map { $0 + $1 }
                t.eventIDs = (t.eventIDs ?? []) + (part.eventIDs ?? [])
                today = t
            } else {
                today = part
            }
        }
        try writer.close()
        live = today ?? EventBatch(fieldNames: spec.fields)
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    /// Trains `kind` on the whole archive and promotes it.
    @discardableResult
    func train(_ name: String, kind: any ModelKind, settings: [String] = [], kinds: ModelKinds = .standard) throws -> TrainingOutcome {
        var request = TrainingRequest(
            archive: archive, stream: spec.stream, name: name, kind: kind,
            destination: .registry(Registry(root: registry, loaders: ModelLoaders(kinds: kinds)), promoteTo: "production", reason: nil))
        request.settings = settings
        request.seed = 3
        return try Trainer.train(request)
    }

    /// One JSON event per live row, as a producer would send it.
    func json(_ i: Int) -> String {
        let id = live.eventIDs?[i] ?? "e\(i)"
        return "{\"ts\":\(live.time[i]),\"meter\":\"\(live.series(at: i))\",\"kwh\":\(live.fields[0][i]),\"voltage\":\(live.fields[1][i]),\"reading_id\":\"\(id)\"}"
    }

    /// The live day as consumed Kafka batches of `size` messages.
    func kafkaBatches(size: Int) -> [KafkaConsumerBatch] {
        stride(from: 0, to: live.count, by: size).map { start in
            KafkaConsumerBatch(messages: (start..<min(live.count, start + size)).map { i in
                KafkaConsumerMessage(
                    topic: "meters", partition: 0, offset: Int64(i), key: Array(live.series(at: i).utf8), value: Array(json(i).utf8),
                    timestamp: nil, headers: [])
            })
        }
    }

    /// The live day as a CSV file, as offline `score` reads it.
    func csv() throws -> String {
        let path = dir.appendingPathComponent("live.csv").path
        var text = "ts,meter,kwh,voltage\n"
        for i in 0..<live.count { text += "\(live.time[i]),\(live.series(at: i)),\(live.fields[0][i]),\(live.fields[1][i])\n" }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A serve configuration for `models` on the simulated stream (no archive: no warm-up, as offline).
    func serveConfig(models: [String]) throws -> ServeConfig {
        let list = models.map { "{name: \($0)}" }.joined(separator: ", ")
        return try ServeConfig.parse(
            yaml: """
                kafka: {brokers: embedded}
                inputs: [{topic: meters, spec: \(archive)/\(spec.stream)/stream.yaml}]
                models: [\(list)]
                output: {topic: predictions}
                registry: \(registry)
                """, relativeTo: dir)
    }
}
