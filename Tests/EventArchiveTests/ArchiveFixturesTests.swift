// Shared fixtures of the archive tests (named *Tests.swift to sit with them).
import Foundation
import Testing

@testable import EventArchive

/// A unique archive root under the temporary directory, removed on deinit.
final class ArchiveTempRoot {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("forewarn-archive-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }
}

/// One event, compared field by field across write and read.
struct ArchiveRow: Hashable, Comparable {
    var time: Int64
    var series: String
    var values: [Double]
    var id: String?
    var partition: Int32
    var offset: Int64

    static func < (a: ArchiveRow, b: ArchiveRow) -> Bool {
        (a.time, a.id ?? "", a.series) < (b.time, b.id ?? "", b.series)
    }
}

enum ArchiveFixture {
    static let start: Int64 = 1_796_076_000_000  // 2026-11-30T22:00:00Z

    static func spec(withID: Bool = true) throws -> StreamSpec {
        try StreamSpec(stream: "taxi", time: "ts", fields: ["fare", "distance"], key: "zone", id: withID ? "trip" : nil)
    }

    /// `rows` events spread over `hours` hours from `start`, cycling through
    /// `series`, in a scrambled (non-time) order as real imports deliver them.
    static func batch(
        rows: Int, hours: Int = 1, start: Int64 = start, series: [String] = ["north", "south", "east"],
        withIDs: Bool = true, idPrefix: String = "e"
    ) -> EventBatch {
        var b = EventBatchBuilder(fieldNames: ["fare", "distance"], withEventIDs: withIDs)
        let span = Int64(hours) * 3_600_000
        for k in 0..<rows {
            let i = (k * 7919) % rows
            let t = start + Int64(i) * span / Int64(max(rows, 1))
            b.append(
                time: t, series: series[i % series.count], values: [Double(i) * 0.5, Double(i % 13)],
                eventID: withIDs ? "\(idPrefix)\(i)" : nil)
        }
        return b.batch
    }

    /// `rows` events over `hours` hourly parts in 1,024-row chunks (written in 700-row flushes, so
    /// some chunks are partial), every 11th fare NaN. Returns the parts, sorted by path.
    static func writeChunked(_ root: URL, rows: Int, hours: Int) throws -> [URL] {
        var options = ArchiveWriter.Options()
        options.flushRows = 700
        let writer = try ArchiveWriter(root: root, spec: try spec(), options: options)
        var all = batch(rows: rows, hours: hours)
        all.fields[0] = all.fields[0].enumerated().map { $0 % 11 == 0 ? .nan : $1 }
        try writer.append(all)
        return try writer.close()
    }

    static func rows(_ batch: EventBatch) -> [ArchiveRow] {
        (0..<batch.count).map { r in
            ArchiveRow(
                time: batch.time[r], series: batch.series(at: r), values: batch.fields.map { $0[r] },
                id: batch.eventIDs?[r], partition: batch.kafkaPartition?[r] ?? -1, offset: batch.kafkaOffset?[r] ?? -1)
        }
    }

    /// Every row of the stream (optionally windowed/projected), sorted, plus the report.
    static func readAll(
        _ root: URL, from: Int64? = nil, to: Int64? = nil, fields: [String]? = nil, batchRows: Int = 65_536
    ) throws -> ([ArchiveRow], ReadReport) {
        var out: [ArchiveRow] = []
        let report = try ArchiveReader(root: root, stream: "taxi").read(
            from: from, to: to, fields: fields, batchRows: batchRows
        ) { out += rows($0) }
        return (out.sorted(), report)
    }

    /// Files under `directory` (recursively) whose names end with `suffix`.
    static func files(_ directory: URL, suffix: String) -> [URL] {
        let e = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)
        return (e?.allObjects as? [URL] ?? []).filter { $0.lastPathComponent.hasSuffix(suffix) }
            .sorted { $0.path < $1.path }
    }

    static let python = "/usr/bin/python3"
    static var hasH5py: Bool { FileManager.default.isExecutableFile(atPath: python) }

    /// Runs `/usr/bin/python3 -c script args…` and returns stdout; fails the test on a non-zero exit.
    static func runPython(_ script: String, _ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = ["-c", script] + args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "python failed: \(String(decoding: errData, as: UTF8.self))")
        return String(decoding: data, as: UTF8.self)
    }
}
