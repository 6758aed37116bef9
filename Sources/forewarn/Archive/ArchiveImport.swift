import ArgumentParser
import ConfigFiles
import EventArchive
import Foundation

struct ArchiveImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import CSV (with a header) or JSON-lines files into the archive.",
        discussion: """
            Rows are validated against the stream spec. A bad row (malformed, a missing or
            non-numeric field, NaN or infinity, a time out of range) is reported with its
            file and line and skipped; the rest is imported. With --strict every file is
            checked first and nothing is written unless all rows are good.

            Existing parts are never modified: an import only adds new parts. The
            stream's spec is recorded (as <archive>/<stream>/stream.yaml) with the first
            rows that land, so an import that lands none leaves the archive as it was;
            a later import must use the same spec (see `archive spec`). When the spec
            names an `id` field, an event whose id the archive holds already (in its
            hour) is skipped and counted: importing a file twice stores it once.

            Example:
              forewarn archive import --archive archive --stream taxi \\
                  --spec taxi.yaml trips-*.csv
            """
    )

    @OptionGroup var location: ArchiveLocation

    @Option(help: "The stream spec (YAML). Must name the same stream as --stream.")
    var spec: String

    @Option(help: "Input format: csv or jsonl. Default: from each file's extension.")
    var format: String?

    @Flag(help: "Stop at the first bad row, and write nothing when any row is bad.")
    var strict = false

    @Flag(help: "Print a JSON summary instead of text.")
    var json = false

    @Argument(help: "Files to import.")
    var files: [String]

    func run() throws {
        let spec = try loadSpec(spec, stream: location.stream)
        let root = URL(fileURLWithPath: location.archive)
        let sink = try StreamImportSink(root: root, spec: spec)
        var inputs: [(String, ImportFormat)] = []
        for file in files {
            let fmt: ImportFormat? = format.map { ImportFormat(rawValue: $0) } ?? ImportFormat.guess(path: file)
            guard let fmt else {
                throw ValidationError("cannot tell the format of '\(file)': use --format csv or --format jsonl")
            }
            inputs.append((file, fmt))
        }
        var options = ImportOptions()
        options.strict = strict
        let progress = ProgressDisplay(json: json)
        defer { progress.close() }
        // Reads one file, its bytes read shown as the task "<what> <file>".
        func read(_ what: String, _ file: String, _ fmt: ImportFormat, _ body: (EventBatch) throws -> Void) throws -> ImportReport {
            progress.start("\(what) \(file)", total: EventImporter.inputSize(file), unit: .bytes)
            let report = try EventImporter.read(path: file, format: fmt, spec: spec, options: options, progress: progress, body)
            progress.finish()
            return report
        }
        if strict {
            // A dry pass first, so a strict run that fails leaves the archive exactly as it was.
            for (file, fmt) in inputs {
                do {
                    _ = try read("checking", file, fmt) { _ in }
                } catch let error as RowError {
                    progress.close()
                    printError("error: \(error)")
                    printError("nothing was imported (--strict)")
                    throw ExitCode(1)
                }
            }
        }
        var total = ImportReport(rows: 0, rejected: 0, errors: [])
        var perFile: [[String: Any]] = []
        for (file, fmt) in inputs {
            let skippedBefore = sink.duplicatesSkipped
            let report = try read("importing", file, fmt) { batch in try sink.append(batch) }
            let skipped = sink.duplicatesSkipped - skippedBefore
            total.rows += report.rows
            total.rejected += report.rejected
            total.errors += report.errors
            total.warnings += report.warnings
            perFile.append(["file": file, "rows": report.rows - skipped, "rejected": report.rejected, "duplicates_skipped": skipped])
            if !json {
                let already = skipped > 0 ? ", \(skipped) already archived (same \(spec.id ?? "id")) skipped" : ""
                print("\(file): \(report.rows - skipped) rows imported, \(report.rejected) rejected\(already)")
                for e in report.errors.prefix(20) { printError("  \(e)") }
                for w in report.warnings { printError("warning: \(w)") }
                if report.errors.count > 20 { printError("  ... \(report.rejected - 20) more rejected rows") }
            }
        }
        progress.start("finishing the parts")
        let parts = try sink.close()
        progress.finish()
        if json {
            try printJSON([
                "stream": spec.stream, "rows": total.rows - sink.duplicatesSkipped, "rejected": total.rejected,
                "duplicates_skipped": sink.duplicatesSkipped, "parts_written": parts.count,
                "files": perFile, "warnings": total.warnings, "errors": total.errors.prefix(100).map { ["file": $0.file, "line": $0.line, "message": $0.message] },
            ])
        } else {
            let already = sink.duplicatesSkipped > 0 ? "; \(sink.duplicatesSkipped) already archived, skipped" : ""
            print("\(total.rows - sink.duplicatesSkipped) rows into \(parts.count) new parts under \(root.path)/\(spec.stream)\(already)")
        }
        if total.rejected > 0 { throw ExitCode(3) }
    }
}

/// Loads a spec file and checks it names the stream the command was given.
func loadSpec(_ path: String, stream: String) throws -> StreamSpec {
    let spec: StreamSpec
    do {
        spec = try StreamSpec.load(path: path)
    } catch let error as ConfigError {
        throw ValidationError("\(error)")
    }
    guard spec.stream == stream else {
        throw ValidationError("\(path) describes stream '\(spec.stream)', but --stream is '\(stream)'")
    }
    return spec
}
