/// Where a scored batch goes. `write` returns only when the sink has the whole
/// batch durably; it may be called again with the same batch after a failure
/// (the at-least-once retry, and every retried transaction under exactly-once),
/// so writes must be idempotent or tolerate a replay (Kafka predictions are
/// keyed and carry the event id; table sinks upsert by event id; the archive
/// skips a batch sequence it already wrote).
///
/// Writes of consecutive batches may run concurrently (each in-flight batch
/// writes from its own task); a sink that needs consumption order orders by
/// `ScoredBatch.sequence`, as `ArchiveSink` does.
public protocol BatchSink: Sendable {
    var name: String { get }
    func write(_ batch: ScoredBatch) async throws
    /// Called once by the scorer when its loop has ended and the batches in
    /// flight have drained: finish what is open, release connections.
    func close() async throws
}

extension BatchSink {
    public func close() async throws {}
}
