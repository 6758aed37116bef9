import Foundation
import Testing

@testable import EventArchive

/// With an id field, the archive stores each event once: a second write of the same events adds nothing.
@Suite struct ArchiveIDIndexTests {
    static func ids(_ root: URL) throws -> [String] {
        var out: [String] = []
        _ = try ArchiveReader(root: root, stream: "taxi").read(strict: true) { out += $0.eventIDs ?? [] }
        return out.sorted()
    }

    @Test func aSecondWriteOfTheSameEventsAddsNothingAndNewOnesStillLand() throws {
        let tmp = try ArchiveTempRoot()
        let all = ArchiveFixture.batch(rows: 3000, hours: 5)
        let first = try ArchiveWriter(root: tmp.url, spec: try ArchiveFixture.spec())
        try first.append(all.rows(0..<2000))
        _ = try first.close()
        #expect(first.duplicatesSkipped == 0)

        // A later writer (a re-import, a replay): the first 2000 are in finished parts, 1000 are new.
        let again = try ArchiveWriter(root: tmp.url, spec: try ArchiveFixture.spec())
        try again.append(all)
        // Within one writer too: the same rows handed over twice are written once.
        try again.append(all.rows(2500..<3000))
        _ = try again.close()
        #expect(again.duplicatesSkipped == 2000 + 500)
        #expect(again.rowsWritten == 1000)
        #expect(try Self.ids(tmp.url) == ArchiveFixture.rows(all).compactMap(\.id).sorted())
    }

    @Test func withoutAnIdFieldOrWithEmptyIdsEveryRowIsKept() throws {
        let tmp = try ArchiveTempRoot()
        let plain = ArchiveFixture.batch(rows: 100, withIDs: false)
        for _ in 0..<2 {
            let w = try ArchiveWriter(root: tmp.url, spec: try ArchiveFixture.spec(withID: false))
            try w.append(plain)
            _ = try w.close()
        }
        let listing = try ArchiveReader(root: tmp.url, stream: "taxi").parts()
        #expect(listing.parts.map(\.rows).reduce(0, +) == 200, "no id field: the spec says nothing to deduplicate on")

        let other = try ArchiveTempRoot()
        var blank = ArchiveFixture.batch(rows: 10)
        blank.eventIDs = Array(repeating: "", count: 10)
        let w = try ArchiveWriter(root: other.url, spec: try ArchiveFixture.spec())
        try w.append(blank)
        try w.append(blank)
        _ = try w.close()
        #expect(w.rowsWritten == 20 && w.duplicatesSkipped == 0, "an empty id identifies nothing")
    }

    @Test func skippingCanBeTurnedOff() throws {
        let tmp = try ArchiveTempRoot()
        var options = ArchiveWriter.Options()
        options.skipDuplicateIDs = false
        let batch = ArchiveFixture.batch(rows: 50)
        let w = try ArchiveWriter(root: tmp.url, spec: try ArchiveFixture.spec(), options: options)
        try w.append(batch)
        try w.append(batch)
        _ = try w.close()
        #expect(w.rowsWritten == 100 && w.duplicatesSkipped == 0)
    }

    /// An hour forgotten to bound memory is read again from its parts when it comes back.
    @Test func aForgottenHourIsReadAgainFromItsParts() throws {
        let tmp = try ArchiveTempRoot()
        let all = ArchiveFixture.batch(rows: 500, hours: 5)
        let w = try ArchiveWriter(root: tmp.url, spec: try ArchiveFixture.spec())
        try w.append(all)
        _ = try w.close()
        var index = ArchiveIDIndex(root: tmp.url, stream: "taxi")
        index.maxHours = 2
        for hour in 0..<5 {
            let rows = (0..<all.count).filter { EventTime.hourStart(all.time[$0]) == EventTime.hourStart(ArchiveFixture.start) + Int64(hour) * 3_600_000 }
            #expect(try index.newRows(all.rows(rows), open: []) == [], "hour \(hour): every id is archived")
        }
        // Hour 0 was forgotten (only 2 are kept); its ids are still known, read from its part again.
        let first = (0..<all.count).filter { EventTime.hourStart(all.time[$0]) == EventTime.hourStart(ArchiveFixture.start) }
        #expect(try index.newRows(all.rows(first), open: []) == [])
        var fresh = ArchiveFixture.batch(rows: 10, idPrefix: "new")
        fresh.time = fresh.time.map { _ in ArchiveFixture.start }
        #expect(try index.newRows(fresh, open: []) == nil, "nothing to skip: nil, the batch as it is")
    }
}
