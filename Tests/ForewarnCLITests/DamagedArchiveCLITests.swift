import Foundation
import Testing

@testable import forewarn

/// Issue 15: damaged archive parts are named and skipped (exit 2), or refused
/// under `--strict` (exit 1); no command dies by a signal, hangs, or prints a
/// damaged value. Each damage is applied to a real part and the built
/// executable is run on it, so a crash would show as a signal, not kill the test.
@Suite(.serialized) struct DamagedArchiveCLITests {
    static let spec = """
        stream: trips
        key: zone
        time: ts
        fields: [fare, distance]
        id: trip_id
        """

    /// Three hours of trips with text ids, one part per hour.
    static func csv() -> String {
        var lines = ["ts,zone,fare,distance,trip_id"]
        for i in 0..<1_200 {
            let ms = 1_767_225_600_000 + Int64(i) * 9_000
            lines.append("\(ms),z\(i % 7),\(Double(i % 97) * 0.25),\(i % 13),trip-\(i)-\(String(repeating: "x", count: i % 23))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static let damages = 200

    @Test func damagedPartsAreNamedAndSkippedNeverCrash() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let archive = dir.path("archive")
        let imported = try CLIRunner.run([
            "archive", "import", "--archive", archive, "--stream", "trips", "--spec", try dir.write("trips.yaml", Self.spec),
            try dir.write("trips.csv", Self.csv()),
        ])
        try #require(imported.status == 0, "\(imported.stderr)")
        let parts = try FileManager.default.subpathsOfDirectory(atPath: archive).filter { $0.hasSuffix(".h5") }.sorted()
            .map { URL(fileURLWithPath: archive).appendingPathComponent($0) }
        try #require(parts.count == 3)
        let export = ["archive", "export", "--archive", archive, "--stream", "trips"]
        let clean = try CLIRunner.run(export)
        try #require(clean.status == 0)
        let lines = clean.stdout.split(separator: "\n").map(String.init)
        // One part per UTC hour: a part's rows are the lines of its hour.
        let hourOf = { (part: URL) in part.deletingLastPathComponent().lastPathComponent.dropFirst("hour=".count) }

        // FOREWARN_DAMAGE_SEED draws other damages than the default seed's.
        let seed = ProcessInfo.processInfo.environment["FOREWARN_DAMAGE_SEED"].flatMap(UInt64.init) ?? 15
        var draw = SplitMixBench(seed: seed)
        var statuses: [Int32: Int] = [:]
        for index in 0..<Self.damages {
            let target = Int(draw.next() % 3)
            let part = parts[target]
            let original = try Data(contentsOf: part)
            let (damaged, how) = Self.damage(original, &draw)
            try damaged.write(to: part)
            defer { try? original.write(to: part) }
            let what = "seed \(seed) damage \(index) (\(how) of \(part.lastPathComponent))"

            var commands = [export]
            if index % 4 == 0 { commands.append(["archive", "stats", "--archive", archive, "--stream", "trips"]) }
            if index % 40 == 0 {
                let train = ["train", "--archive", archive, "--stream", "trips", "--name", "t", "--registry", dir.path("registry")]
                commands += [train, train + ["--strict"]]
            }
            for command in commands {
                let r = try CLIRunner.run(command, timeout: .seconds(60))
                let name = command.prefix(2).joined(separator: " ") + (command.last == "--strict" ? " --strict" : "")
                statuses[r.status, default: 0] += 1
                try #require(!r.signalled && !r.timedOut, "\(what): \(name) died (status \(r.status)): \(r.stderr.suffix(400))")
                if damaged == original {
                    #expect(r.status == 0, "\(what): \(name) on an intact part: \(r.stderr.suffix(300))")
                    continue
                }
                let strict = command.last == "--strict"
                #expect(r.status == (strict ? 1 : 2), "\(what): \(name) exited \(r.status): \(r.stderr.suffix(300))")
                #expect(r.stderr.contains(part.path), "\(what): \(name) does not name the part: \(r.stderr.suffix(300))")
                if command == export {
                    let hour = "T\(hourOf(part)):"
                    let expected = lines.filter { !$0.contains(hour) }
                    #expect(r.stdout.split(separator: "\n").map(String.init) == expected, "\(what): export printed damaged rows")
                }
            }
        }
        print("DamagedArchiveCLITests: seed \(seed), \(Self.damages) damages, exit statuses \(statuses.sorted { $0.key < $1.key })")
    }

    /// Random bytes, a truncation, a zeroed 4 KiB block, 16 bytes of 0xFF (at 4096 one time in four), or flipped bits.
    static func damage(_ data: Data, _ draw: inout SplitMixBench) -> (Data, String) {
        var bytes = [UInt8](data)
        let at = Int(draw.next() % UInt64(bytes.count))
        switch draw.next() % 5 {
        case 0:
            let n = min(64, bytes.count - at)
            for i in 0..<n { bytes[at + i] = UInt8(truncatingIfNeeded: draw.next()) }
            return (Data(bytes), "\(n) random bytes at \(at)")
        case 1: return (Data(bytes[..<at]), "truncated to \(at) bytes")
        case 2:
            let block = at / 4096 * 4096
            for i in block..<min(bytes.count, block + 4096) { bytes[i] = 0 }
            return (Data(bytes), "4 KiB zeroed at \(block)")
        case 3:
            let start = draw.next() % 4 == 0 ? 4096 : at
            for i in start..<min(bytes.count, start + 16) { bytes[i] = 0xFF }
            return (Data(bytes), "16 bytes of 0xFF at \(start)")
        default:
            let bit = Int(draw.next() % UInt64(bytes.count * 8))
            bytes[bit / 8] ^= 1 << UInt8(bit % 8)
            return (Data(bytes), "bit \(bit) flipped")
        }
    }
}
