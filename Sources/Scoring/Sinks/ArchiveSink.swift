import EventArchive
import Foundation

/// The raw events of every batch, appended to the archive (one writer per
/// stream) and flushed before the batch's offsets can move.
///
/// Ownership: an `ArchiveWriter` is single-owner (not thread-safe, and its
/// open parts are its own), so the writers live inside this actor and nothing
/// else ever sees them; the actor is the one owner.
///
/// Order and idempotence: the in-flight chain runs the sinks of consecutive
/// batches concurrently, but the archive must receive them in consumption
/// order, and a batch may be written again (a retried link, every retried
/// exactly-once transaction). So batch `k` (its `sequence`, numbered by the
/// scoring loop from 0) is written only after `k - 1`, and a sequence already
/// written is skipped. Within a batch, a stream whose rows were appended is
/// not appended again when a later step (another stream, the flush) failed.
public actor ArchiveSink: BatchSink {
    public nonisolated var name: String { "archive" }
    private var writers: [String: ArchiveWriter] = [:]
    /// The sequence the next write must carry.
    private var next = 0
    /// The last sequence whose rows each stream's writer took.
    private var appended: [String: Int] = [:]
    /// Writes of later batches, waiting for their turn.
    private var waiting: [CheckedContinuation<Void, Error>] = []
    private var closed = false
    /// Counts the events skipped because the archive holds their id already (a replay), per stream.
    private let metrics: ServeMetrics?

    /// Streams whose spec is recorded in the archive (`stream.yaml`), done with their first rows.
    private var recorded: Set<String> = []

    /// One writer per input stream under `root` (the archive's layout, docs/formats.md). Throws
    /// `CatalogError.specMismatch` when the archive holds a stream of that name under another spec, before
    /// anything is written. A stream's spec is recorded with its first rows, as an import records it, so
    /// `train` and `archive stats` can read what serve archived.
    public init(root: String, specs: [StreamSpec], metrics: ServeMetrics? = nil) throws {
        self.metrics = metrics
        let url = URL(fileURLWithPath: root)
        for spec in specs {
            if try StreamCatalog.check(spec: spec, root: url) { recorded.insert(spec.stream) }
            var options = ArchiveWriter.Options()
            options.sortParts = false
            writers[spec.stream] = try ArchiveWriter(root: url, spec: spec, options: options)
        }
    }

    public func write(_ batch: ScoredBatch) async throws {
        while batch.sequence > next {
            guard !closed else { throw ArchiveSinkError.closed }
            try await withCheckedThrowingContinuation { waiting.append($0) }
        }
        guard batch.sequence == next else { return }  // written before: a retry
        guard !closed else { throw ArchiveSinkError.closed }
        for (stream, events) in batch.events.sorted(by: { $0.key < $1.key }) {
            guard let writer = writers[stream], appended[stream] != batch.sequence else { continue }
            let skipped = writer.duplicatesSkipped
            if !recorded.contains(stream), events.count > 0 {
                try StreamCatalog.register(spec: writer.spec, root: writer.root)
                recorded.insert(stream)
            }
            try writer.append(events)
            appended[stream] = batch.sequence
            if writer.duplicatesSkipped > skipped {
                metrics?.add("forewarn_archive_duplicates_skipped_total", Double(writer.duplicatesSkipped - skipped), labels: "stream=\"\(stream)\"")
            }
        }
        for stream in batch.events.keys { try writers[stream]?.flush() }
        next = batch.sequence + 1
        wakeAll(throwing: nil)
    }

    /// Finishes the open parts (they become readable `.h5` parts); writes still waiting fail.
    /// (Declared `async` so that it, not the protocol's default, is what `BatchSink.close` calls.)
    public func close() async throws {
        closed = true
        wakeAll(throwing: ArchiveSinkError.closed)
        let open = writers
        writers.removeAll()
        for writer in open.values { _ = try writer.close() }
    }

    private func wakeAll(throwing error: Error?) {
        let woken = waiting
        waiting.removeAll()
        for continuation in woken {
            if let error { continuation.resume(throwing: error) } else { continuation.resume() }
        }
    }
}

public enum ArchiveSinkError: Error, CustomStringConvertible {
    case closed

    public var description: String { "the archive sink is closed" }
}
