import ArgumentParser
import Basics
import EventArchive
import Foundation

struct BenchArchive: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive",
        abstract: "Write and read a synthetic archive; report events/s, MB/s and peak memory.",
        discussion: """
            Writes --events events of --fields float64 fields (1000 series, ten hours, so
            parts are about a million rows), then reads them back twice: a tenth of the
            window and the whole of it, reporting the peak resident memory of each read so
            you can see it stays flat as the archive grows. With --compare-h5py, Debian's
            python3-h5py reads the same parts in the same run.

              swift build -c release && .build/release/forewarn bench archive \\
                  --compare-h5py
            """
    )

    @Option(help: "Events to write.")
    var events: Int = 10_000_000

    @Option(help: "Numeric fields per event.")
    var fields: Int = 8

    @Option(help: "Where to write the archive (removed afterwards unless --keep).")
    var dir: String = NSTemporaryDirectory() + "forewarn-bench-archive"

    @Flag(help: "Keep the archive afterwards.")
    var keep = false

    @Flag(help: "Also time h5py reading the same parts (needs /usr/bin/python3 with h5py).")
    var compareH5py = false

    @Flag(help: "Give every event an id (the spec names an id field): the writer then skips ids it holds already.")
    var ids = false

    @Flag(help: "With --ids: store every event, the writer's id check off (to measure that check).")
    var storeDuplicates = false

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        let root = URL(fileURLWithPath: dir)
        try? FileManager.default.removeItem(at: root)
        defer { if !keep { try? FileManager.default.removeItem(at: root) } }
        let names = (0..<fields).map { "f\($0)" }
        let spec = try StreamSpec(stream: "bench", time: "ts", fields: names, key: "sensor", id: ids ? "id" : nil)
        let series = 1000
        let timestamps = max(1, events / series)
        let start: Int64 = 1_767_225_600_000  // 2026-01-01
        let step: Int64 = 36_000_000 / Int64(timestamps)  // ten hours in all

        // Plain locals: an option's property wrapper costs a generic metadata lookup on every read in the loop.
        let fields = self.fields, ids = self.ids
        let progress = ProgressDisplay(json: json)
        defer { progress.close() }
        progress.start("writing the bench archive", total: timestamps * series, unit: .events)
        let writeTime = try measure {
            var options = ArchiveWriter.Options()
            options.skipDuplicateIDs = !storeDuplicates
            let writer = try ArchiveWriter(root: root, spec: spec, options: options)
            var builder = EventBatchBuilder(fieldNames: names, withEventIDs: ids)
            var rng = SplitMixBench(seed: 42)
            var level = [Double](repeating: 100, count: series * fields)
            let keys = (0..<series).map { String(format: "s%04d", $0) }
            var values = [Double](repeating: 0, count: fields)
            for t in 0..<timestamps {
                for s in 0..<series {
                    for f in 0..<fields {
                        level[s * fields + f] += rng.nextSigned() * 0.5
                        values[f] = (level[s * fields + f] * 100).rounded() / 100
                    }
                    if ids {
                        builder.append(time: start + Int64(t) * step, series: keys[s], values: values, eventID: "\(keys[s])-\(t)")
                    } else {
                        values.withUnsafeBufferPointer {
                            builder.append(time: start + Int64(t) * step, series: keys[s], values: $0)
                        }
                    }
                    if builder.count == 65_536 { try writer.append(builder.take()) }
                }
                progress.update((t + 1) * series)
            }
            if builder.count > 0 { try writer.append(builder.take()) }
            try writer.close()
        }
        let total = timestamps * series
        let rawBytes = Double(total * (8 + 4 + 4 + 8 + 8 * fields))
        let reader = try ArchiveReader(root: root, stream: "bench")
        let (parts, _) = try reader.parts()
        let diskBytes = parts.reduce(Int64(0)) { $0 + $1.bytes }

        var tenthRows = 0, allRows = 0
        let tenthEnd = start + Int64(timestamps / 10) * step
        PeakMemory.reset()
        let tenthTime = try measure { tenthRows = try reader.read(to: tenthEnd, progress: progress) { _ in }.rows }
        let tenthPeak = PeakMemory.peakBytes()
        PeakMemory.reset()
        let readTime = try measure { allRows = try reader.read(progress: progress) { _ in }.rows }
        let readPeak = PeakMemory.peakBytes()
        var h5pySeconds: Double?
        if compareH5py {
            progress.start("reading with h5py")
            h5pySeconds = try H5pyReader.time(parts: parts.map(\.url.path))
            progress.finish()
        }

        let mb = rawBytes / 1e6
        let rows: [(String, Any)] = [
            ("events", total), ("fields", fields), ("parts", parts.count), ("bytes_on_disk", diskBytes),
            ("write_seconds", writeTime), ("write_events_per_s", Double(total) / writeTime), ("write_mb_per_s", mb / writeTime),
            ("read_seconds", readTime), ("read_events_per_s", Double(allRows) / readTime), ("read_mb_per_s", mb / readTime),
            ("read_tenth_events", tenthRows), ("read_tenth_seconds", tenthTime),
            ("peak_rss_read_tenth_bytes", tenthPeak), ("peak_rss_read_all_bytes", readPeak),
            ("h5py_read_seconds", h5pySeconds.map { $0 as Any } ?? NSNull()),
        ]
        if json {
            try printJSON(Dictionary(uniqueKeysWithValues: rows))
            return
        }
        print("archive: \(total) events x \(fields) fields, \(parts.count) parts, \(formatBytes(diskBytes)) on disk (\(String(format: "%.0f", mb)) MB raw)")
        print(String(format: "write  %8.2f s  %12.0f events/s  %8.1f MB/s", writeTime, Double(total) / writeTime, mb / writeTime))
        print(String(format: "read   %8.2f s  %12.0f events/s  %8.1f MB/s", readTime, Double(allRows) / readTime, mb / readTime))
        print("peak RSS reading 1/10 of the archive: \(formatBytes(Int64(tenthPeak))); reading all of it: \(formatBytes(Int64(readPeak)))")
        if let h = h5pySeconds {
            print(String(format: "h5py   %8.2f s  %12.0f events/s  (Forewarn reads %.2fx as fast)", h, Double(allRows) / h, h / readTime))
        }
    }
}

/// Wall-clock seconds a closure takes.
func measure(_ body: () throws -> Void) rethrows -> Double { try timed(body).1 }

/// A closure's result and the wall-clock seconds it took.
func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let clock = ContinuousClock()
    let t0 = clock.now
    let result = try body()
    let d = clock.now - t0
    return (result, d.inSeconds)
}

/// A tiny deterministic generator for benchmark data.
struct SplitMixBench {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [-1, 1).
    mutating func nextSigned() -> Double { Double(next() >> 11) * 0x1p-52 - 1 }
}

