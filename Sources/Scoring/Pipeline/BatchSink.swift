import EventArchive
import Foundation
import Kafka

/// Where a scored batch goes. `write` returns only when the sink has the whole
/// batch durably; it may be called again with the same batch after a failure,
/// so writes must be idempotent or tolerate a replay (Kafka predictions are
/// keyed and carry the event id; table sinks upsert by event id).
public protocol BatchSink: Sendable {
    var name: String { get }
    func write(_ batch: ScoredBatch) async throws
}

/// Predictions and dead letters to Kafka, awaiting every delivery report.
struct KafkaSink: BatchSink {
    let producer: KafkaProducer
    var name: String { "kafka" }

    func write(_ batch: ScoredBatch) async throws {
        async let predictions = producer.send(batch.predictionMessages)
        async let deadLetters = producer.send(batch.deadLetterMessages)
        _ = try await (predictions, deadLetters)
    }
}

/// The raw events, appended to the archive by the poll loop itself (the writer
/// is single-owner) and flushed before the batch's offsets can move.
struct ArchiveSink {
    private var writers: [String: ArchiveWriter] = [:]

    init(config: ServeConfig) throws {
        guard let root = config.archive else { return }
        for input in config.inputs {
            writers[input.spec.stream] = try ArchiveWriter(root: URL(fileURLWithPath: root), spec: input.spec)
        }
    }

    mutating func append(_ batch: ScoredBatch) throws {
        for (stream, events) in batch.events {
            guard let writer = writers[stream] else { continue }
            try writer.append(events)
            try writer.flush()
        }
    }

    /// Finishes the open parts (they become readable `.h5` parts).
    mutating func close() throws {
        for writer in writers.values { try writer.close() }
        writers.removeAll()
    }
}
