import ArgumentParser
import EventArchive
import Foundation

struct ArchiveStats: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Summarise a stream: rows, series, time range, bytes, and per-field min/mean/max and NaN counts.",
        discussion: "Reads the window in batches, so it works on archives larger than memory.\n\n\(ArchiveHelp.damagedParts)"
    )

    @OptionGroup var location: ArchiveLocation
    @OptionGroup var window: TimeWindow

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        let (from, to) = try window.bounds()
        let reader = try openReader(location)
        let (parts, _) = try reader.parts(from: from, to: to)
        var summary = ColumnSummary()
        let report = try reader.read(from: from, to: to) { batch in summary.add(batch) }
        let bytes = parts.reduce(Int64(0)) { $0 + $1.bytes }
        if json {
            var fieldObjects: [String: Any] = [:]
            for (i, name) in summary.fieldNames.enumerated() {
                let f = summary.fields[i]
                fieldObjects[name] = [
                    "min": f.count > 0 ? f.min : NSNull(), "max": f.count > 0 ? f.max : NSNull(),
                    "mean": f.count > 0 ? f.mean : NSNull(), "count": f.count, "nan": f.nan,
                ] as [String: Any]
            }
            try printJSON([
                "stream": location.stream, "rows": report.rows, "parts": report.parts, "series": summary.series.count,
                "bytes": bytes, "time_min": summary.rows > 0 ? EventTime.format(summary.timeMin) : NSNull(),
                "time_max": summary.rows > 0 ? EventTime.format(summary.timeMax) : NSNull(), "fields": fieldObjects,
                "problems": report.problems.map { ["part": $0.url.path, "reason": $0.reason] },
            ])
        } else {
            print("stream    \(location.stream)")
            print("rows      \(report.rows) in \(report.parts) parts (\(formatBytes(bytes)))")
            print("series    \(summary.series.count)")
            if summary.rows > 0 {
                print("time      \(EventTime.format(summary.timeMin)) .. \(EventTime.format(summary.timeMax))")
            }
            print("field".padding(toLength: 16, withPad: " ", startingAt: 0) + "       min        mean         max     NaN")
            for (i, name) in summary.fieldNames.enumerated() {
                let f = summary.fields[i]
                print(
                    name.padding(toLength: 16, withPad: " ", startingAt: 0)
                        + String(format: "%10.4g  %10.4g  %10.4g  %6d", f.min, f.mean, f.max, f.nan))
            }
        }
        for problem in report.problems { printError("skipped corrupt part: \(problem)") }
        if !report.problems.isEmpty { throw ExitCode(2) }
    }
}
