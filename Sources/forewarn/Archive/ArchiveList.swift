import ArgumentParser
import EventArchive
import Foundation

struct ArchiveList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ls",
        abstract: "List the archive's parts, oldest first.",
        discussion: ArchiveHelp.damagedParts
    )

    @OptionGroup var location: ArchiveLocation
    @OptionGroup var window: TimeWindow

    @Flag(help: "Print JSON lines, one part a line.")
    var json = false

    func run() throws {
        let (from, to) = try window.bounds()
        let reader = try openReader(location)
        let (parts, problems) = try reader.parts(from: from, to: to)
        for p in parts {
            if json {
                try printJSON([
                    "path": p.url.path, "date": p.date, "hour": p.hour, "rows": p.rows, "bytes": p.bytes,
                    "time_min": EventTime.format(p.timeMin), "time_max": EventTime.format(p.timeMax),
                ])
            } else {
                print("\(p.date)/\(p.hour)  \(p.url.lastPathComponent)  \(p.rows) rows  \(formatBytes(p.bytes))")
            }
        }
        for problem in problems { printError("skipped corrupt part: \(problem)") }
        if !json { print("\(parts.count) parts, \(parts.reduce(0) { $0 + $1.rows }) rows") }
        if !problems.isEmpty { throw ExitCode(2) }
    }
}

/// Opens the reader for a stream, turning a missing stream into a clear error.
func openReader(_ location: ArchiveLocation) throws -> ArchiveReader {
    let root = URL(fileURLWithPath: location.archive)
    do {
        return try ArchiveReader(root: root, stream: location.stream)
    } catch {
        let known = StreamCatalog.streams(root: root)
        let hint = known.isEmpty ? "no streams under \(root.path)" : "streams under \(root.path): \(known.joined(separator: ", "))"
        throw ValidationError("unknown stream '\(location.stream)' (\(hint))")
    }
}

func formatBytes(_ n: Int64) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB"]
    var v = Double(n), u = 0
    while v >= 1024 && u < units.count - 1 { v /= 1024; u += 1 }
    return u == 0 ? "\(n) B" : String(format: "%.1f %@", v, units[u])
}
