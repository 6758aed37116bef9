import EventArchive
import Foundation
import Scoring
import Testing

/// The archive sink keeps consumption order and writes each batch once, however its writes arrive.
@Suite struct ArchiveSinkTests {
    static let start: Int64 = 1_767_225_600_000

    static func batch(_ sequence: Int, _ rows: Range<Int>) -> ScoredBatch {
        var b = ScoredBatch()
        b.sequence = sequence
        b.events["meters"] = EventBatch(
            fieldNames: ["kwh", "voltage"], time: rows.map { start + Int64($0) * 1000 }, seriesCodes: rows.map { _ in 0 },
            seriesNames: ["m0"], fields: [rows.map { _ in 0.3 }, rows.map { _ in 230 }], eventIDs: rows.map { "r\($0)" })
        return b
    }

    static func archived(_ root: URL) throws -> [String] {
        var ids: [String] = []
        _ = try ArchiveReader(root: root, stream: "meters").read(strict: true) { ids += $0.eventIDs ?? [] }
        return ids
    }

    @Test func batchesLandInSequenceOrderAndARewriteAddsNothing() async throws {
        let f = try ModelFixture()
        let root = f.dir.appendingPathComponent("archive")
        let spec = try StreamSpec.load(path: f.dir.appendingPathComponent("meters.yaml").path)
        let sink = try ArchiveSink(root: root.path, specs: [spec])
        // Handed over newest first, as the sinks of concurrent links may be.
        let third = Task { try await sink.write(Self.batch(2, 20..<30)) }
        try await Task.sleep(for: .milliseconds(20))
        let second = Task { try await sink.write(Self.batch(1, 10..<20)) }
        try await Task.sleep(for: .milliseconds(20))
        try await sink.write(Self.batch(0, 0..<10))
        try await second.value
        try await third.value
        // A retried link and a retried transaction write the same batch again.
        try await sink.write(Self.batch(1, 10..<20))
        try await sink.write(Self.batch(2, 20..<30))
        try await sink.close()
        #expect(try Self.archived(root) == (0..<30).map { "r\($0)" })
    }

    @Test func aWriteWaitingForItsTurnFailsWhenTheSinkCloses() async throws {
        let f = try ModelFixture()
        let spec = try StreamSpec.load(path: f.dir.appendingPathComponent("meters.yaml").path)
        let sink = try ArchiveSink(root: f.dir.appendingPathComponent("archive").path, specs: [spec])
        try await sink.write(Self.batch(0, 0..<5))
        let waiting = Task { try await sink.write(Self.batch(2, 10..<15)) }
        try await Task.sleep(for: .milliseconds(50))
        try await sink.close()
        await #expect(throws: ArchiveSinkError.self) { try await waiting.value }
        #expect(try Self.archived(f.dir.appendingPathComponent("archive")) == (0..<5).map { "r\($0)" })
    }

    /// Events replayed through serve (a consumer group reset, a restart that scores again) are archived once;
    /// the skipped ones are counted.
    @Test func replayedEventsAreArchivedOnceAndCounted() async throws {
        let f = try ModelFixture()
        let root = f.dir.appendingPathComponent("archive")
        let spec = try StreamSpec.load(path: f.dir.appendingPathComponent("meters.yaml").path)
        let first = try ArchiveSink(root: root.path, specs: [spec])
        try await first.write(Self.batch(0, 0..<10))
        try await first.close()
        let metrics = ServeMetrics()
        let replay = try ArchiveSink(root: root.path, specs: [spec], metrics: metrics)
        try await replay.write(Self.batch(0, 0..<15))
        try await replay.close()
        #expect(try Self.archived(root).sorted() == (0..<15).map { "r\($0)" }.sorted())
        #expect(metrics.counter("forewarn_archive_duplicates_skipped_total", labels: "stream=\"meters\"") == 10)
    }

    /// What serve archives is a stream `train` can read: its spec is recorded with the first rows (not before,
    /// so a scorer that archives nothing leaves nothing), and an archive holding the stream under another spec
    /// is refused before anything is written.
    @Test func theStreamsSpecIsRecordedWithItsFirstRowsAndAnotherSpecIsRefused() async throws {
        let f = try ModelFixture()
        let root = f.dir.appendingPathComponent("archive")
        let spec = try StreamSpec.load(path: f.dir.appendingPathComponent("meters.yaml").path)
        let recorded = StreamCatalog.specURL(root: root, stream: "meters")
        let idle = try ArchiveSink(root: root.path, specs: [spec])
        try await idle.close()
        #expect(!FileManager.default.fileExists(atPath: recorded.path))
        let sink = try ArchiveSink(root: root.path, specs: [spec])
        try await sink.write(Self.batch(0, 0..<5))
        try await sink.close()
        #expect(try StreamCatalog.spec(root: root, stream: "meters").specHash == spec.specHash)
        #expect(try ArchiveReader(root: root, stream: "meters").read(strict: true) { _ in }.rows == 5)
        var other = spec
        other.fields = ["kwh"]
        #expect(throws: CatalogError.self) { _ = try ArchiveSink(root: root.path, specs: [other]) }
    }
}
