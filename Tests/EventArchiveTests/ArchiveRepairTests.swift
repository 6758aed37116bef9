import Foundation
import Testing

@testable import EventArchive

@Suite struct ArchiveRepairTests {
    private func options(flushRows: Int) -> ArchiveWriter.Options {
        var o = ArchiveWriter.Options()
        o.flushRows = flushRows
        return o
    }

    @Test func recoversTheFlushedRowsOfACrashedWriter() throws {
        let tmp = try ArchiveTempRoot(), crashed = try ArchiveTempRoot()
        let writer = try ArchiveWriter(root: tmp.url, spec: try ArchiveFixture.spec(), options: options(flushRows: 100))
        let all = ArchiveFixture.batch(rows: 250)
        try writer.append(all)
        // Copy the open in-progress file as a crash would leave it: 200 rows flushed, 50 buffered.
        let live = try #require(ArchiveFixture.files(tmp.url, suffix: ".h5.inprogress").first)
        let relative = String(live.path.dropFirst(tmp.url.path.count))
        let copy = URL(fileURLWithPath: crashed.url.path + relative)
        try FileManager.default.createDirectory(at: copy.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: live, to: copy)
        try writer.close()

        #expect(try ArchiveFixture.readAll(crashed.url).0.isEmpty)
        let report = try ArchiveRepair.repair(root: crashed.url, stream: "taxi")
        #expect(report.recovered.count == 1 && report.quarantined.isEmpty)
        #expect(report.recovered.first?.lastPathComponent == String(copy.lastPathComponent.dropLast(".inprogress".count)))
        #expect(try report.recovered.map { try PartFileSeal.verify($0) } == [.sealed], "repair seals what it recovers")
        let (rows, readReport) = try ArchiveFixture.readAll(crashed.url)
        #expect(rows == ArchiveFixture.rows(all.rows(0..<200)).sorted())
        #expect(readReport.problems.isEmpty)
        let part = try #require(try ArchiveReader(root: crashed.url, stream: "taxi").parts().parts.first)
        #expect(part.rows == 200 && part.timeMin == rows.first?.time && part.timeMax == rows.last?.time)
        #expect(ArchiveFixture.files(crashed.url, suffix: ".inprogress").isEmpty)
    }

    @Test func aCrashBeforeTheFirstFlushLeavesAnEmptyPartThatIsQuarantined() throws {
        let tmp = try ArchiveTempRoot(), crashed = try ArchiveTempRoot()
        let writer = try ArchiveWriter(root: tmp.url, spec: try ArchiveFixture.spec(), options: options(flushRows: 1_000))
        try writer.append(ArchiveFixture.batch(rows: 50))
        // Nothing flushed yet: the file has its attributes but no columns (they are sized at the first flush).
        let live = try #require(ArchiveFixture.files(tmp.url, suffix: ".h5.inprogress").first)
        let copy = URL(fileURLWithPath: crashed.url.path + String(live.path.dropFirst(tmp.url.path.count)))
        try FileManager.default.createDirectory(at: copy.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: live, to: copy)
        try writer.close()

        let report = try ArchiveRepair.repair(root: crashed.url, stream: "taxi")
        #expect(report.recovered.isEmpty && report.quarantined.count == 1)
        #expect(report.quarantined.first?.reason.contains("no rows were flushed") == true, "\(report.quarantined.first?.reason ?? "")")
        #expect(try ArchiveReader(root: crashed.url, stream: "taxi").parts().parts.isEmpty, "nothing half-written is read")
    }

    @Test func recoversAnAbandonedWriterCompletely() throws {
        let tmp = try ArchiveTempRoot()
        let writer = try ArchiveWriter(root: tmp.url, spec: try ArchiveFixture.spec(), options: options(flushRows: 64))
        let all = ArchiveFixture.batch(rows: 900, hours: 3, series: (0..<40).map { "s\($0)" })
        try writer.append(all)
        try writer.abandon()
        #expect(ArchiveFixture.files(tmp.url, suffix: ".inprogress").count == 3)
        let report = try ArchiveRepair.repair(root: tmp.url, stream: "taxi")
        #expect(report.recovered.count == 3 && report.quarantined.isEmpty)
        #expect(try ArchiveFixture.readAll(tmp.url).0 == ArchiveFixture.rows(all).sorted())
    }

    @Test func quarantinesGarbageAndLeavesFinishedPartsAlone() throws {
        let tmp = try ArchiveTempRoot()
        let writer = try ArchiveWriter(root: tmp.url, spec: try ArchiveFixture.spec())
        try writer.append(ArchiveFixture.batch(rows: 300, hours: 2))
        let finished = try writer.close()
        let before = try finished.map { try Data(contentsOf: $0) }
        let garbage = finished[0].deletingLastPathComponent().appendingPathComponent("part-9-9-9.h5.inprogress")
        try Data(repeating: 0x5a, count: 3000).write(to: garbage)

        let report = try ArchiveRepair.repair(root: tmp.url, stream: "taxi")
        #expect(report.recovered.isEmpty && report.quarantined.count == 1)
        let q = try #require(report.quarantined.first)
        #expect(q.original == garbage && !FileManager.default.fileExists(atPath: garbage.path))
        #expect(q.url.deletingLastPathComponent().lastPathComponent == "_quarantine")
        #expect(FileManager.default.fileExists(atPath: q.url.path))
        let note = try String(contentsOf: URL(fileURLWithPath: q.url.path + ".reason.txt"), encoding: .utf8)
        #expect(note.contains("signature") && note.contains(garbage.path))
        #expect(try finished.map { try Data(contentsOf: $0) } == before)
        let (rows, readReport) = try ArchiveFixture.readAll(tmp.url)
        #expect(rows.count == 300 && readReport.problems.isEmpty)
        #expect(try ArchiveRepair.repair(root: tmp.url, stream: "taxi").quarantined.isEmpty)
    }

    @Test(.enabled(if: ArchiveFixture.hasH5py))
    func quarantinesInconsistentInProgressParts() throws {
        let tmp = try ArchiveTempRoot()
        let writer = try ArchiveWriter(root: tmp.url, spec: try ArchiveFixture.spec(), options: options(flushRows: 10))
        try writer.append(ArchiveFixture.batch(rows: 40))
        try writer.abandon()
        let part = try #require(ArchiveFixture.files(tmp.url, suffix: ".inprogress").first)
        _ = try ArchiveFixture.runPython(
            "import h5py,sys\nwith h5py.File(sys.argv[1],'a') as f: f['kafka_offset'].resize((30,))", [part.path])
        let report = try ArchiveRepair.repair(root: tmp.url, stream: "taxi")
        #expect(report.recovered.isEmpty)
        #expect(report.quarantined.first?.reason.contains("kafka_offset") == true)
    }

    @Test func unknownStreamIsAnError() throws {
        let tmp = try ArchiveTempRoot()
        #expect(throws: ArchiveError.self) { try ArchiveRepair.repair(root: tmp.url, stream: "taxi") }
    }
}
