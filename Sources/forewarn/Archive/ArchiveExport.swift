import ArgumentParser
import EventArchive
import Foundation

struct ArchiveExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a time range of a stream as CSV or JSON lines.",
        discussion: """
            Columns use the stream spec's names, so an export imports back unchanged:
              forewarn archive export --archive archive --stream meters \\
                  --from 2026-01-03 --to 2026-01-04 > day.csv

            \(ArchiveHelp.damagedParts)
            """
    )

    @OptionGroup var location: ArchiveLocation
    @OptionGroup var window: TimeWindow

    @Option(help: "csv or jsonl.")
    var format: String = "csv"

    @Option(help: "Write here instead of standard output.")
    var output: String?

    @Option(parsing: .upToNextOption, help: "Only these numeric fields (default: all).")
    var fields: [String] = []

    func run() throws {
        guard let fmt = ImportFormat(rawValue: format) else {
            throw ValidationError("--format must be csv or jsonl, not '\(format)'")
        }
        let (from, to) = try window.bounds()
        let reader = try openReader(location)
        let spec = try StreamCatalog.spec(root: URL(fileURLWithPath: location.archive), stream: location.stream)
        for f in fields where !spec.fields.contains(f) {
            throw ValidationError("stream '\(spec.stream)' has no field '\(f)' (fields: \(spec.fields.joined(separator: ", ")))")
        }
        let out: FileHandle
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: nil), let h = FileHandle(forWritingAtPath: output) else {
                throw ValidationError("cannot write \(output)")
            }
            out = h
        } else {
            out = FileHandle.standardOutput
        }
        defer { if output != nil { try? out.close() } }
        let report = try reader.export(
            spec: spec, fields: fields.isEmpty ? nil : fields, format: fmt, from: from, to: to, to: out)
        for problem in report.problems { printError("skipped corrupt part: \(problem)") }
        if !report.problems.isEmpty { throw ExitCode(2) }
    }
}
