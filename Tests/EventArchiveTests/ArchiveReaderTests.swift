import Foundation
import Testing

@testable import EventArchive

@Suite struct ArchiveReaderTests {
    /// Three hours of 1500 rows each, written with small flush slices.
    private func threeHours(_ tmp: ArchiveTempRoot) throws -> EventBatch {
        var options = ArchiveWriter.Options()
        options.flushRows = 700
        let writer = try ArchiveWriter(root: tmp.url, spec: try ArchiveFixture.spec(), options: options)
        let all = ArchiveFixture.batch(rows: 4500, hours: 3)
        try writer.append(all)
        try writer.close()
        return all
    }

    @Test func projectsFieldsAndFiltersTimeWindows() throws {
        let tmp = try ArchiveTempRoot()
        let all = try threeHours(tmp)
        let from = ArchiveFixture.start + 1_800_000, to = ArchiveFixture.start + 7_200_000
        let (rows, report) = try ArchiveFixture.readAll(tmp.url, from: from, to: to, fields: ["distance"])
        let expected = ArchiveFixture.rows(all).filter { $0.time >= from && $0.time < to }
            .map { ArchiveRow(time: $0.time, series: $0.series, values: [$0.values[1]], id: $0.id, partition: -1, offset: -1) }
        #expect(rows == expected.sorted())
        #expect(report.parts == 2 && report.problems.isEmpty)
        var names: Set<[String]> = []
        _ = try ArchiveReader(root: tmp.url, stream: "taxi").read(fields: ["distance", "fare"]) { names.insert($0.fieldNames) }
        #expect(names == [["distance", "fare"]])
        let reader = try ArchiveReader(root: tmp.url, stream: "taxi")
        #expect(try reader.parts(from: ArchiveFixture.start + 3_600_000).parts.count == 2)
        #expect(try reader.parts(to: ArchiveFixture.start + 1).parts.count == 1)
        #expect(try reader.parts(from: ArchiveFixture.start + 4 * 3_600_000).parts.isEmpty)
    }

    @Test func streamsBoundedBatches() throws {
        let tmp = try ArchiveTempRoot()
        _ = try threeHours(tmp)
        var largest = 0, total = 0, batches = 0
        let report = try ArchiveReader(root: tmp.url, stream: "taxi").read(batchRows: 1000) { batch in
            largest = max(largest, batch.count)
            total += batch.count
            batches += 1
            #expect(Set(batch.seriesCodes.map(Int.init)) == Set(batch.seriesNames.indices))
        }
        #expect(largest <= 1000 && largest > 0)
        #expect(total == 4500 && report.rows == 4500 && batches >= 6)
    }

    @Test func unknownStreamsAndFieldsAreErrors() throws {
        let tmp = try ArchiveTempRoot()
        _ = try threeHours(tmp)
        #expect(throws: ArchiveError.self) { try ArchiveReader(root: tmp.url, stream: "nope") }
        let error = #expect(throws: ArchiveError.self) {
            try ArchiveReader(root: tmp.url, stream: "taxi").read(fields: ["fare", "tip"]) { _ in }
        }
        guard case .unknownField(let field, _) = error else { Issue.record("wrong error \(String(describing: error))"); return }
        #expect(field == "tip")
    }

    @Test func corruptPartsAreProblemsAndTheRestStillReads() throws {
        let tmp = try ArchiveTempRoot()
        _ = try threeHours(tmp)
        let parts = try ArchiveReader(root: tmp.url, stream: "taxi").parts().parts
        let truncated = parts[1].url
        let handle = try FileHandle(forWritingTo: truncated)
        try handle.truncate(atOffset: UInt64(parts[1].bytes / 2))
        try handle.close()
        let garbage = parts[2].url.deletingLastPathComponent().appendingPathComponent("part-x.h5")
        try Data((0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }).write(to: garbage)
        let listing = try ArchiveReader(root: tmp.url, stream: "taxi").parts()
        #expect(listing.parts.count == 2)
        #expect(Set(listing.problems.map(\.url)) == [truncated, garbage])
        #expect(listing.problems.allSatisfy { !$0.reason.isEmpty && $0.description.contains($0.url.path) })
        let (rows, report) = try ArchiveFixture.readAll(tmp.url)
        #expect(rows.count == 3000 && report.problems.count == 2)
        #expect(throws: ArchiveError.self) {
            try ArchiveReader(root: tmp.url, stream: "taxi").read(strict: true) { _ in }
        }
    }

    @Test func ignoresInProgressAndQuarantinedFiles() throws {
        let tmp = try ArchiveTempRoot()
        let writer = try ArchiveWriter(root: tmp.url, spec: try ArchiveFixture.spec())
        try writer.append(ArchiveFixture.batch(rows: 10))
        let stream = tmp.url.appendingPathComponent("taxi")
        let q = stream.appendingPathComponent("_quarantine")
        try FileManager.default.createDirectory(at: q, withIntermediateDirectories: true)
        try Data("junk".utf8).write(to: q.appendingPathComponent("part-1.h5"))
        #expect(ArchiveFixture.files(tmp.url, suffix: ".inprogress").count == 1)
        let (rows, report) = try ArchiveFixture.readAll(tmp.url)
        #expect(rows.isEmpty && report.parts == 0 && report.problems.isEmpty)
        try writer.close()
        #expect(try ArchiveFixture.readAll(tmp.url).0.count == 10)
    }

    @Test(.enabled(if: ArchiveFixture.hasH5py))
    func inconsistentPartsAreProblems() throws {
        let tmp = try ArchiveTempRoot()
        _ = try threeHours(tmp)
        let parts = try ArchiveReader(root: tmp.url, stream: "taxi").parts().parts
        _ = try ArchiveFixture.runPython(
            "import h5py,sys\nwith h5py.File(sys.argv[1],'a') as f: f['series'][5] = 99\n"
                + "with h5py.File(sys.argv[2],'a') as f: f['fields/fare'].resize((10,))", [parts[0].url.path, parts[2].url.path])
        // Sealed again, so the checks behind the checksum are what refuses them.
        for part in [parts[0], parts[2]] { try PartFileSeal.seal(part.url) }
        let (rows, report) = try ArchiveFixture.readAll(tmp.url)
        #expect(rows.count == 1500)
        let reasons = Dictionary(uniqueKeysWithValues: report.problems.map { ($0.url, $0.reason) })
        #expect(reasons[parts[0].url]?.contains("series code 99") == true)
        #expect(reasons[parts[2].url]?.contains("fields/fare") == true)
    }
}
