import Basics
import Foundation
import Testing

@testable import EventArchive

/// Damaged parts are refused by name, never read as if they were good, and
/// never crash or hang the reader (issue 15). Runs in this process: a crash
/// here kills the test run, which is a failure too.
@Suite struct ArchiveCorruptionTests {
    static let corruptions = 3_000

    @Test func randomCorruptionsOfRealPartsAreRefusedByNameOrReadExactly() throws {
        let tmp = try ArchiveTempRoot()
        let parts = try ArchiveFixture.writeChunked(tmp.url, rows: 3_000, hours: 2)
        #expect(parts.count == 2)
        let original = try parts.map { try [UInt8](Data(contentsOf: $0)) }
        let (all, clean) = try ArchiveFixture.readAll(tmp.url)
        #expect(all.count == 3_000 && clean.problems.isEmpty)
        let hour = { (part: Int) in ArchiveFixture.start + Int64(part) * 3_600_000 }
        let rowsOf = (0..<2).map { p in all.filter { $0.time >= hour(p) && $0.time < hour(p + 1) } }
        #expect(rowsOf.allSatisfy { !$0.isEmpty })

        var rng = Xoshiro256(seed: 15)
        var refused: [String: Int] = [:], unchanged = 0
        let started = ContinuousClock.now
        for index in 0..<Self.corruptions {
            let target = Int.random(in: 0..<2, using: &rng)
            let corruption = PartCorruption.random(size: original[target].count, using: &rng)
            let damaged = corruption.apply(original[target])
            try Data(damaged).write(to: parts[target])
            defer { try? Data(original[target]).write(to: parts[target]) }
            let what = "corruption \(index) (\(corruption)) of \(parts[target].lastPathComponent)"

            // The damaged part's hour alone (the reader does not open the other hour's directory) ...
            var rows = 0
            let report = try ArchiveReader(root: tmp.url, stream: "taxi").read(from: hour(target), to: hour(target + 1)) {
                rows += $0.count
            }
            if damaged == original[target] {
                unchanged += 1
                let (read, whole) = try ArchiveFixture.readAll(tmp.url)
                #expect(Self.same(read, all) && whole.problems.isEmpty, "\(what): the bytes are intact, so is the read")
                continue
            }
            try #require(report.problems.map(\.url) == [parts[target]], "\(what): \(report.problems)")
            #expect(rows == 0 && report.parts == 0, "\(what): no row of a refused part")
            refused[Self.category(report.problems[0].reason), default: 0] += 1
            // ... and one time in ten everything, strictly and not: the other part still reads, exactly.
            guard index % 10 == 0 else { continue }
            let (read, whole) = try ArchiveFixture.readAll(tmp.url)
            #expect(Self.same(read, rowsOf[1 - target]) && whole.problems.map(\.url) == [parts[target]], "\(what)")
            let error = #expect(throws: ArchiveError.self, "\(what): strict") {
                try ArchiveReader(root: tmp.url, stream: "taxi").read(strict: true) { _ in }
            }
            guard case .corruptPart(let url, _) = error else { continue }
            #expect(url == parts[target])
        }
        let seconds = (ContinuousClock.now - started).inSeconds
        print(
            "ArchiveCorruptionTests: \(Self.corruptions) corruptions (\(unchanged) left the bytes as they were), "
                + "refused: \(refused.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")); "
                + String(format: "%.1f s", seconds))
        #expect(refused.values.reduce(0, +) + unchanged == Self.corruptions)
    }

    @Test func aPartChangedBetweenListingAndReadingIsVerifiedAgain() throws {
        let tmp = try ArchiveTempRoot()
        let url = try #require(try ArchiveFixture.writeChunked(tmp.url, rows: 1_000, hours: 1).first)
        let listed = try #require(try ArchiveReader(root: tmp.url, stream: "taxi").parts().parts.first)
        #expect(try PartFileReader(url: url, verified: listed.verified).length == 1_000, "unchanged: not read twice")
        var bytes = try [UInt8](Data(contentsOf: url))
        bytes[bytes.count / 2] ^= 0x10
        try Data(bytes).write(to: url)
        #expect(throws: ArchiveError.self) { try PartFileReader(url: url, verified: listed.verified) }
    }

    /// Equal rows, NaN for NaN: values are compared by their bits.
    static func same(_ a: [ArchiveRow], _ b: [ArchiveRow]) -> Bool {
        a.count == b.count
            && zip(a, b).allSatisfy { x, y in
                x.time == y.time && x.series == y.series && x.id == y.id && x.partition == y.partition
                    && x.offset == y.offset && x.values.map(\.bitPattern) == y.values.map(\.bitPattern)
            }
    }

    /// The kind of reason, for the summary: the checksum, the length, the header.
    static func category(_ reason: String) -> String {
        if reason.contains("checksum mismatch") { return "checksum" }
        if reason.contains("bytes long but was written as") { return "length" }
        if reason.contains("neither the part header") || reason.contains("header is damaged") { return "header" }
        return "other (\(reason.prefix(60)))"
    }
}
