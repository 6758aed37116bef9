import Foundation
import Testing

@testable import EventArchive

@Suite struct ArchiveWriterTests {
    @Test func roundTripAcrossHoursDaysAndSeries() throws {
        let tmp = try ArchiveTempRoot()
        let writer = try ArchiveWriter(root: tmp.url, spec: try ArchiveFixture.spec())
        let all = ArchiveFixture.batch(rows: 3000, hours: 5)
        for chunk in stride(from: 0, to: 3000, by: 1100) { try writer.append(all.rows(chunk..<min(3000, chunk + 1100))) }
        let parts = try writer.close()
        #expect(writer.rowsWritten == 3000)
        let dirs = parts.map { "\($0.deletingLastPathComponent().deletingLastPathComponent().lastPathComponent)/"
            + $0.deletingLastPathComponent().lastPathComponent }
        #expect(dirs == ["date=2026-11-30/hour=22", "date=2026-11-30/hour=23", "date=2026-12-01/hour=00",
            "date=2026-12-01/hour=01", "date=2026-12-01/hour=02"])
        #expect(parts.allSatisfy { $0.lastPathComponent.hasPrefix("part-") && $0.pathExtension == "h5" })
        #expect(ArchiveFixture.files(tmp.url, suffix: ".inprogress").isEmpty)
        let (read, report) = try ArchiveFixture.readAll(tmp.url)
        #expect(read == ArchiveFixture.rows(all).sorted())
        #expect(report.rows == 3000 && report.parts == 5 && report.problems.isEmpty)
        let listing = try ArchiveReader(root: tmp.url, stream: "taxi").parts()
        #expect(listing.parts.map(\.rows).reduce(0, +) == 3000)
        #expect(listing.parts.map(\.timeMin) == listing.parts.map(\.timeMin).sorted())
        #expect(listing.parts.allSatisfy { $0.bytes > 0 && $0.timeMin <= $0.timeMax })
        #expect(listing.parts.first?.date == "date=2026-11-30" && listing.parts.first?.hour == "hour=22")
    }

    @Test func rollsPartsAtMaxRowsPerPart() throws {
        let tmp = try ArchiveTempRoot()
        var options = ArchiveWriter.Options()
        options.maxRowsPerPart = 100
        options.flushRows = 30
        let writer = try ArchiveWriter(root: tmp.url, spec: try ArchiveFixture.spec(), options: options)
        let all = ArchiveFixture.batch(rows: 350)
        try writer.append(all.rows(0..<120))
        try writer.append(all.rows(120..<350))
        let parts = try writer.close()
        #expect(parts.count == 4)
        #expect(Set(parts).count == 4)
        let listing = try ArchiveReader(root: tmp.url, stream: "taxi").parts()
        #expect(listing.parts.map(\.rows).sorted() == [50, 100, 100, 100])
        #expect(try ArchiveFixture.readAll(tmp.url).0 == ArchiveFixture.rows(all).sorted())
    }

    @Test func boundsTheNumberOfOpenParts() throws {
        let tmp = try ArchiveTempRoot()
        var options = ArchiveWriter.Options()
        options.maxOpenParts = 2
        let writer = try ArchiveWriter(root: tmp.url, spec: try ArchiveFixture.spec(), options: options)
        var expected: [ArchiveRow] = []
        for round in 0..<3 {
            for hour in 0..<5 {
                let b = ArchiveFixture.batch(
                    rows: 10, start: ArchiveFixture.start + Int64(hour) * 3_600_000, idPrefix: "r\(round)h\(hour)-")
                expected += ArchiveFixture.rows(b)
                try writer.append(b)
                #expect(ArchiveFixture.files(tmp.url, suffix: ".inprogress").count <= 2)
            }
        }
        let parts = try writer.close()
        #expect(parts.count > 5)
        #expect(try ArchiveFixture.readAll(tmp.url).0 == expected.sorted())
    }

    @Test func rejectsMalformedBatchesWithoutWriting() throws {
        let tmp = try ArchiveTempRoot()
        let writer = try ArchiveWriter(root: tmp.url, spec: try ArchiveFixture.spec())
        var wrongFields = ArchiveFixture.batch(rows: 5)
        wrongFields.fieldNames = ["fare", "tip"]
        #expect(throws: ArchiveError.self) { try writer.append(wrongFields) }
        #expect(throws: ArchiveError.self) { try writer.append(ArchiveFixture.batch(rows: 5, withIDs: false)) }
        var badTime = ArchiveFixture.batch(rows: 5)
        badTime.time[3] = -1
        #expect(throws: ArchiveError.self) { try writer.append(badTime) }
        var ragged = ArchiveFixture.batch(rows: 5)
        ragged.fields[1].removeLast()
        #expect(throws: ArchiveError.self) { try writer.append(ragged) }
        #expect(writer.rowsWritten == 0)
        #expect(try writer.close().isEmpty)
        #expect(throws: ArchiveError.self) { try writer.append(ArchiveFixture.batch(rows: 5)) }
        #expect(ArchiveFixture.files(tmp.url, suffix: ".h5").isEmpty)
        var zero = ArchiveWriter.Options()
        zero.maxRowsPerPart = 0
        #expect(throws: ArchiveError.self) { try ArchiveWriter(root: tmp.url, spec: try ArchiveFixture.spec(), options: zero) }
    }

    @Test func laterWritesAddPartsAndNeverTouchExistingOnes() throws {
        let tmp = try ArchiveTempRoot()
        let first = try ArchiveWriter(root: tmp.url, spec: try ArchiveFixture.spec())
        try first.append(ArchiveFixture.batch(rows: 50, idPrefix: "a"))
        let old = try first.close()
        let before = try old.map { try Data(contentsOf: $0) }
        let second = try ArchiveWriter(root: tmp.url, spec: try ArchiveFixture.spec())
        try second.append(ArchiveFixture.batch(rows: 50, idPrefix: "b"))
        let new = try second.close()
        #expect(Set(old).isDisjoint(with: new))
        #expect(try old.map { try Data(contentsOf: $0) } == before)
        #expect(try ArchiveFixture.readAll(tmp.url).0.count == 100)
    }

    @Test func keepsKafkaProvenanceAndDefaultsItToMinusOne() throws {
        let tmp = try ArchiveTempRoot()
        let writer = try ArchiveWriter(root: tmp.url, spec: try ArchiveFixture.spec(withID: false))
        var b = EventBatchBuilder(fieldNames: ["fare", "distance"], withEventIDs: false, withKafka: true)
        for i in 0..<4 {
            [1.0, 2.0].withUnsafeBufferPointer {
                b.append(time: ArchiveFixture.start + Int64(i), series: "s", values: $0, partition: 3, offset: 100 + Int64(i))
            }
        }
        try writer.append(b.batch)
        try writer.append(ArchiveFixture.batch(rows: 2, start: ArchiveFixture.start + 10, withIDs: false))
        try writer.close()
        let rows = try ArchiveFixture.readAll(tmp.url).0
        #expect(rows.map(\.partition) == [3, 3, 3, 3, -1, -1])
        #expect(rows.map(\.offset) == [100, 101, 102, 103, -1, -1])
        #expect(rows.allSatisfy { $0.id == nil })
    }
}
