import Foundation
import Testing

@testable import EventArchive

/// A part is finished sorted by time, however its rows arrived (`ArchiveWriter.Options.sortParts`).
@Suite struct ArchiveSortedPartsTests {
    /// Every row of the stream's parts, in the order the parts store them.
    private func stored(_ root: URL) throws -> [ArchiveRow] {
        var out: [ArchiveRow] = []
        _ = try ArchiveReader(root: root, stream: "taxi").read { out += ArchiveFixture.rows($0) }
        return out
    }

    @Test func rowsArrivingOutOfOrderAreStoredInTimeOrderWithEveryColumnMovedAlong() throws {
        let tmp = try ArchiveTempRoot()
        var options = ArchiveWriter.Options()
        options.flushRows = 37  // several flushed slices, so the rewrite reads them all back
        let writer = try ArchiveWriter(root: tmp.url, spec: try ArchiveFixture.spec(), options: options)
        let all = ArchiveFixture.batch(rows: 1000, series: ["north", "south", "east", "west"])
        #expect(all.time != all.time.sorted(), "the fixture must arrive out of order")
        try writer.append(all.rows(0..<400))
        try writer.append(all.rows(400..<1000))
        let parts = try writer.close()
        #expect(parts.count == 1)
        let rows = try stored(tmp.url)
        #expect(rows.map(\.time) == rows.map(\.time).sorted())
        #expect(rows.sorted() == ArchiveFixture.rows(all).sorted(), "each row keeps its series, values and id")
        #expect(ArchiveFixture.files(tmp.url, suffix: ".sorting").isEmpty)
        #expect(ArchiveFixture.files(tmp.url, suffix: ".inprogress").isEmpty)
        let listing = try ArchiveReader(root: tmp.url, stream: "taxi").parts()
        #expect(listing.parts.first?.rows == 1000 && listing.problems.isEmpty)
        #expect(listing.parts.first?.timeMin == rows.first?.time && listing.parts.first?.timeMax == rows.last?.time)
    }

    @Test func rowsOfEqualTimeKeepTheirArrivalOrder() throws {
        let tmp = try ArchiveTempRoot()
        let writer = try ArchiveWriter(root: tmp.url, spec: try ArchiveFixture.spec())
        var b = EventBatchBuilder(fieldNames: ["fare", "distance"], withEventIDs: true)
        for (id, offset) in [("a", 5), ("b", 3), ("c", 3), ("d", 1), ("e", 5), ("f", 3)] {
            b.append(time: ArchiveFixture.start + Int64(offset), series: "s", values: [Double(offset), 0], eventID: id)
        }
        try writer.append(b.batch)
        try writer.close()
        #expect(try stored(tmp.url).map { $0.id ?? "" } == ["d", "b", "c", "f", "a", "e"])
    }

    @Test func liveArchivingKeepsArrivalOrder() throws {
        let tmp = try ArchiveTempRoot()
        var options = ArchiveWriter.Options()
        options.sortParts = false
        let writer = try ArchiveWriter(root: tmp.url, spec: try ArchiveFixture.spec(), options: options)
        let all = ArchiveFixture.batch(rows: 200)
        try writer.append(all)
        try writer.close()
        #expect(try stored(tmp.url).map(\.time) == all.time)
    }

    @Test func sortedPartsStayReadableByH5py() throws {
        guard ArchiveFixture.hasH5py else { return }
        let tmp = try ArchiveTempRoot()
        let writer = try ArchiveWriter(root: tmp.url, spec: try ArchiveFixture.spec())
        try writer.append(ArchiveFixture.batch(rows: 300))
        let parts = try writer.close()
        let out = try ArchiveFixture.runPython(
            """
            import sys, h5py, numpy
            f = h5py.File(sys.argv[1], "r")
            t = f["time"][:]
            print(len(t), bool(numpy.all(numpy.diff(t) >= 0)), len(f["event_id"][:]))
            """, [parts[0].path])
        #expect(out.trimmingCharacters(in: .whitespacesAndNewlines) == "300 True 300")
    }
}
