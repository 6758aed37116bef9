import Foundation
import Testing

@testable import EventArchive
@testable import HDF5Kit

/// The reader decodes stored chunks itself (`HDF5Dataset.fetch`); these check
/// it against `H5Dread` on real parts and that damage stays contained.
@Suite struct ArchiveChunkReadTests {
    /// Three hourly parts of 1,500 rows in 1,024-row chunks (one whole, one partial).
    private func threeHours(_ tmp: ArchiveTempRoot) throws -> [ArchivePart] {
        _ = try ArchiveFixture.writeChunked(tmp.url, rows: 4500, hours: 3)
        return try ArchiveReader(root: tmp.url, stream: "taxi").parts().parts
    }

    @Test func slicesMatchH5DreadForEveryColumn() throws {
        let tmp = try ArchiveTempRoot()
        for part in try threeHours(tmp) {
            let reader = try PartFileReader(url: part.url)
            for range in [0..<reader.length, 100..<reader.length, 0..<1_024] {
                let slice = try reader.slice(range, fields: ["fare", "distance"])
                let file = try HDF5File(url: part.url, mode: .readOnly)
                func stored<T: HDF5Numeric>(_ name: String, _ type: T.Type) throws -> [T] {
                    let set = try file.openDataset(name)
                    #expect(try set.fetch(T.self, range: range).isDirect)
                    return try set.read(T.self, range: range)
                }
                #expect(slice.time == (try stored("time", Int64.self)))
                #expect(slice.series == (try stored("series", Int32.self)))
                #expect(slice.kafkaPartition == (try stored("kafka_partition", Int32.self)))
                #expect(slice.kafkaOffset == (try stored("kafka_offset", Int64.self)))
                for (k, name) in ["fare", "distance"].enumerated() {
                    let expected = try stored("fields/\(name)", Double.self)
                    #expect(slice.fields[k].map(\.bitPattern) == expected.map(\.bitPattern))
                }
                #expect(slice.fields[0].contains { $0.isNaN })
            }
        }
    }

    @Test func aCorruptChunkMakesItsPartAProblemAndTheRestStillReads() throws {
        let tmp = try ArchiveTempRoot()
        let damaged = try threeHours(tmp)[1].url
        do {
            let file = try HDF5File(url: damaged, mode: .readOnly)
            let chunk = try file.openDataset("fields/distance").chunkStorage(index: 1)
            try file.close()
            let handle = try FileHandle(forUpdating: damaged)
            try handle.seek(toOffset: chunk.offset + UInt64(chunk.size / 3))
            try handle.write(contentsOf: Data(repeating: 0x5A, count: 8))
            try handle.close()
        }
        let refused = try ArchiveFixture.readAll(tmp.url, fields: ["fare"])
        #expect(refused.0.count == 3000 && refused.1.problems.map(\.url) == [damaged], "the whole part fails its checksum")
        #expect(refused.1.problems.first?.reason.contains("checksum mismatch") == true)
        // Sealed again, as if the damage had happened before the writer sealed it: the chunk checks behind the checksum still hold.
        try PartFileSeal.seal(damaged)
        let (rows, report) = try ArchiveFixture.readAll(tmp.url)
        #expect(rows.count == 3000 && report.parts == 3)
        #expect(report.problems.map(\.url) == [damaged])
        let reason = report.problems.first?.reason ?? ""
        #expect(reason.contains("fields/distance") && reason.contains("decode chunk 1"), "\(reason)")
        let error = #expect(throws: ArchiveError.self) {
            try ArchiveReader(root: tmp.url, stream: "taxi").read(strict: true) { _ in }
        }
        if case .corruptPart(let url, _) = error { #expect(url == damaged) } else { Issue.record("wrong error") }
        let fareOnly = try ArchiveFixture.readAll(tmp.url, fields: ["fare"])
        #expect(fareOnly.0.count == 4500 && fareOnly.1.problems.isEmpty)
    }
}
