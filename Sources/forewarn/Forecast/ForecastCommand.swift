import ArgumentParser
import Foundation
import ModelRegistry
import Scoring

struct ForecastCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forecast",
        abstract: "Forecast each series ahead, with prediction intervals, from a forecaster and the archive.",
        discussion: """
            Warms the forecaster's state of each series on its archived events of the two
            days before --from (default: the cadence step after the archive's last event),
            then writes one row per series, cadence step of [from, from + horizon) and
            field: series, ts (epoch ms), field (when the model has several), forecast, and
            the interval at each --coverage: lower and upper for the model's own coverage,
            lower_<c> and upper_<c> when --coverage is given. An interval holds the share
            <c> of the series' one-step validation errors; beyond the first steps the real
            errors grow, and the interval does not yet.

            A series the model does not know, or with fewer than 3 archived events in the
            warm-up window, is named on stderr and skipped, with exit status 2; damaged
            archive parts are skipped and named too. CSV by default; JSON lines with --json.
            The output appears complete or not at all.

            Examples:
              forewarn forecast --name meters-forecast --archive archive \\
                  --stream meters --horizon 1d --output tomorrow.csv
              forewarn forecast --name meters-forecast --archive archive \\
                  --stream meters --series m0001 \\
                  --from 2026-01-15 --horizon 6h --coverage 0.8,0.95 \\
                  --output m1.jsonl --json
            """
    )

    @OptionGroup var choice: ModelChoice

    @Option(help: "Archive root directory.")
    var archive = "archive"

    @Option(help: "Stream name (a directory under the archive root).")
    var stream: String

    @Option(help: "A series to forecast; repeatable (default: every series the model knows).")
    var series: [String] = []

    @Option(help: "First time to forecast: RFC 3339, a date, or epoch ms (default: after the archive's last event).")
    var from: String?

    @Option(help: "How far ahead: 1h, 1d, 7d ...")
    var horizon: String

    @Option(help: "Interval coverages, comma-separated, each in (0, 1) (default: the model's own).")
    var coverage: String?

    @Option(help: "Where to write the rows.")
    var output: String

    @Flag(help: "Write JSON lines instead of CSV.")
    var json = false

    func run() throws {
        let span = try parseDuration(horizon, option: "--horizon", examples: "1h, 1d or 7d")
        let start = try from.map { try parseTime($0, option: "--from") }
        let coverages = try coverage.map { text in
            try text.split(separator: ",").map { word -> Double in
                guard let c = Double(word.trimmingCharacters(in: .whitespaces)), c > 0, c < 1 else {
                    throw ValidationError("--coverage '\(text)': each coverage is a number in (0, 1), such as 0.8,0.95")
                }
                return c
            }
        }
        let path = try choice.resolve().path
        let result: HorizonForecast
        do {
            result = try HorizonForecast.run(
                modelAt: path, archive: archive, stream: stream, series: series, from: start, horizonMs: span.milliseconds,
                coverages: coverages ?? [])
        } catch let error as OfflineScoringError { throw CommandFailure("\(error)") }
        try HorizonForecastWriter.write(result, ownCoverage: coverages == nil, json: json, to: output)
        for problem in result.archiveProblems { printError("\(archive): skipped: \(problem)") }
        for s in result.skipped { printError("series \(s.series): not forecast: \(s.reason)") }
        print("forecast \(result.rows.count) rows from \(result.from) for \(Set(result.rows.map(\.series)).count) series; wrote \(output)")
        if !result.skipped.isEmpty || !result.archiveProblems.isEmpty { throw ExitCode(2) }
    }
}
