import EventArchive
import Foundation
import Testing

@testable import Scoring

/// A fresh state warms up on what the archive can give and names what it could not (issue 15): a damaged
/// part is skipped by the reader, and the warm-up no longer skips it in silence.
@Suite struct WarmUpProblemsTests {
    @Test func aDamagedPartIsNamedAndTheRestStillWarmsTheState() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("forewarn-warmup-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let spec = try StreamSpec(stream: "meters", time: "ts", fields: ["kwh"], key: "meter")
        let writer = try ArchiveWriter(root: root, spec: spec)
        var events = EventBatchBuilder(fieldNames: ["kwh"], withEventIDs: false)
        let start: Int64 = 1_796_076_000_000
        for k in 0..<240 { events.append(time: start + Int64(k) * 60_000, series: "m\(k % 4)", values: [Double(k)]) }
        try writer.append(events.batch)
        let parts = try writer.close().sorted { $0.path < $1.path }
        #expect(parts.count == 4)
        let history = ServedModel.archiveHistory(root: root.path, stream: "meters", fields: ["kwh"], span: 4 * 3_600_000)
        let clean = history()
        #expect(clean.problems.isEmpty && clean.events?.count == 240)

        var bytes = try [UInt8](Data(contentsOf: parts[1]))
        for i in stride(from: bytes.count / 2, to: min(bytes.count, bytes.count / 2 + 64), by: 1) { bytes[i] ^= 0xFF }
        try Data(bytes).write(to: parts[1])
        let damaged = history()
        #expect(damaged.problems.count == 1 && damaged.problems[0].contains(parts[1].lastPathComponent), "\(damaged.problems)")
        #expect(damaged.events?.count == 180, "the three intact hours still warm the state")
    }
}
