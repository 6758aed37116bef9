import ArgumentParser
import EventArchive
import Foundation
import ModelRegistry
import Scoring

struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score a CSV or JSON-lines file offline with a model file.",
        discussion: """
            Writes one output row per input row, in input order: the input record
            untouched (extra columns such as a label included) with `score` (0..1: 1 - the
            event's tail probability, higher is more anomalous) and `anomaly` (the
            model's flag) added. An isolation forest also adds `drivers`, for flagged
            rows what isolated them (kwh:0.61;voltage:0.22). A forecaster also adds, for the field that drove the score, `forecast`,
            `lower`, `upper`, `field`, `actual` and `sigmas` (its one-step error in robust
            scales, signed), and with several fields every field's `<f>_forecast`,
            `<f>_lower`, `<f>_upper` and `<f>_sigmas` (docs/formats.md, "Scored files").
            CSV in gives CSV out; JSON lines in gives JSON lines out.

            Missing, empty, null, NaN or infinite feature values are imputed with the
            training median (counted on stderr). A row that cannot be read (a non-numeric
            value, broken JSON, a wrong number of cells) keeps its place with an empty
            score, is named on stderr, and makes the exit status 3; --strict stops at the
            first one and leaves no output file. The output appears complete or not at
            all.

            The model is a file (--model) or a registered version: --name with the version
            the production alias points to, or --version N, or --alias A. A registered
            version's files are checked against their recorded SHA-256 before it is
            loaded: a damaged version is refused with the file at fault named (exit
            status 4, nothing written; `forewarn models verify` says more).

            Examples:
              forewarn score --name meters-if --input day.csv --output scored.csv
              forewarn score --name meters-if --version 3 --registry Models \\
                  --input day.csv --output v3.csv
              forewarn score --model meters-if.h5 --input day.csv --output scored.csv
              forewarn score --model meters-if.h5 --input events.jsonl \\
                  --output scored.jsonl --json
            """
    )

    @OptionGroup var choice: ModelChoice

    @Option(help: "Rows to score: CSV with a header, or JSON lines (.jsonl, .ndjson).")
    var input: String

    @Option(help: "Where to write the scored rows (same format as the input).")
    var output: String

    @Option(help: "Forecast models: the input's time column (default: the one the model was trained with).")
    var timeField: String?

    @Option(help: "Forecast models: the input's series key column (default: as trained).")
    var keyField: String?

    @Option(help: "Forecast models: how the time column reads (auto, rfc3339, epoch_s, epoch_ms, epoch_us or a %Y-%m-%d %H:%M:%S pattern; default: the trained stream's time_format).")
    var timeFormat: String?

    @Option(help: "With a --time-format pattern without %z: the IANA zone its times are in (default: the trained stream's timezone, else UTC).")
    var timezone: String?

    @Option(help: "Input format when the extension does not say: csv or jsonl.")
    var format: String?

    @Flag(help: "Isolation forests: every row's drivers, all of them ranked, not only the flagged rows' top three (slower).")
    var allDrivers = false

    @Flag(help: "Stop at the first unreadable row and write nothing.")
    var strict = false

    @Flag(help: "Print a JSON summary instead of text.")
    var json = false

    /// The scorer for --model FILE, or for the registered version (checked against its checksums first).
    private func scorer() throws -> OfflineScorer {
        let (path, provenance) = try choice.resolve()
        return try OfflineScorer.load(
            path: path, timeField: timeField, keyField: keyField, provenance: provenance,
            timeFormat: timeFormat, timeZone: timezone, allDrivers: allDrivers)
    }

    func run() throws {
        guard let format = format.map({ ImportFormat(rawValue: $0) }) ?? ImportFormat.guess(path: input) else {
            throw ValidationError("cannot tell the format of '\(input)' from its name: pass --format csv or --format jsonl")
        }
        if let out = ImportFormat.guess(path: output), out != format {
            throw ValidationError("--output '\(output)' names a \(out.rawValue) file but the input is \(format.rawValue)")
        }
        let scorer = try scorer()
        let (summary, seconds) = try timed {
            try scorer.scoreFile(input: input, format: format, output: output, strict: strict)
        }
        try summary.report(input: input, output: output, seconds: seconds, json: json)
        if summary.invalidRows > 0 { throw ExitCode(3) }
    }
}

extension ScoreSummary {
    func report(input: String, output: String, seconds: Double, json: Bool) throws {
        for problem in firstProblems { printError("\(input): \(problem)") }
        if invalidRows > firstProblems.count { printError("\(input): \(invalidRows - firstProblems.count) more unreadable rows") }
        if missingValues > 0 {
            printError("\(input): \(missingValues) missing or non-finite values were imputed with the training medians")
        }
        if json {
            try printJSON([
                "input": input, "output": output, "rows": rows, "anomalies": anomalies, "unreadable_rows": invalidRows,
                "imputed_values": missingValues, "seconds": seconds,
            ])
        } else {
            print("scored \(rows) rows in \(String(format: "%.2f", seconds)) s: \(anomalies) anomalies, \(invalidRows) unreadable; wrote \(output)")
        }
    }
}
