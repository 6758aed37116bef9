import AnomalyModels
import ArgumentParser
import Basics
import Evaluation
import LinearAlgebra
import EventArchive
import Foundation

struct BenchForecast: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forecast",
        abstract: "Fit the seasonal forecaster on simulated meters and score one step ahead; report speed and accuracy.",
        discussion: """
            Speed: simulates --series meters for --days days plus one at 5-minute cadence,
            fits one forecaster on the first --days days of the kwh field (one target per
            meter) on one core (wall and CPU seconds: the CPU figure is the one that does
            not move when other processes share the machine), warms a scorer up on the
            last day of training and scores the extra day one step ahead, one batch per
            timestamp (every meter once). Accuracy: simulates --accuracy-series meters for
            21 days, fits kwh and voltage on 14 and measures the next 7 against the
            simulator's labels: MASE of the one-step and of day-ahead forecasts (each day
            forecast from its start) against seasonal naive (the value a day earlier),
            coverage of the 95% intervals on clean values, and precision and recall of the
            flags per event.

              swift build -c release && .build/release/forewarn bench forecast

            With --rolling, instead: a rolling-origin evaluation on real series against
            statsforecast. For each set of --sets (the folders of --data, see its README,
            and `meters`, the simulator's kwh of --meters meters over 28 days), each value
            column of each file is a series at its own cadence (the median spacing of its
            events; a training file and its test file are one stream). Its origins are the
            last --origins UTC midnights followed by a whole day of it, with at least 2 days
            before the first (else it is skipped, with the reason; constant series too). At
            most --max-series of the usable series of a set, spread over them, are run.

            Forewarn's default forecaster (no parameters: cadence and periods detected, as
            `forewarn train`) is fitted once on the --history-days before the first origin,
            its scorer warmed on the last 2 days of them; at each origin it forecasts the
            next day (one row per cadence step) with bands at 80% and 95%, then takes the
            day's events in, as `serve` does. In the same run a child Python (--python) fits
            statsforecast's SeasonalNaive (a week and a day back), MSTL (seasons a day and a
            week, each where the history holds two cycles) and AutoETS (a daily season up to
            288 steps, else none) on the same --history-days before every origin, with
            level=[80,95]. Missing cells are interpolated for them (statsforecast needs it).

            Figures per set and on the mean over sets: MASE (the day's MAE over the
            history's in-sample seasonal-naive MAE a day back, averaged over series and
            origins), coverage at 80% and 95% over the day and per horizon bucket (hours
            ahead 0-1, 1-3, 3-6, 6-12, 12-24), the worst bucket's distance from nominal,
            CPU seconds per series (all its origins). Labelled anomalous cells are left out
            of MASE and coverage (they stay in every method's history).

            Setting up the Python (once, outside the repository):
            \(ForecastReferenceScript.setup)

              .build/release/forewarn bench forecast --rolling \\
                  --python /work/venv-sf/bin/python
              .build/release/forewarn bench forecast --rolling --sets kpi,meters \\
                  --max-series 2 --no-references
            """
    )

    @Option(help: "Meters to fit for the speed figures.")
    var series: Int = 10_000

    @Option(help: "Training days for the speed figures.")
    var days: Int = 14

    @Option(help: "Meters for the accuracy figures (0 skips them).")
    var accuracySeries: Int = 500

    @Option(help: "Simulator seed.")
    var seed: UInt64 = 7

    @Flag(help: "Print JSON instead of text (with --rolling: JSON lines).")
    var json = false

    @Flag(help: "Run the rolling-origin evaluation on real series instead (see above).")
    var rolling = false

    @Option(help: "With --rolling: the folder of benchmark sets (default: \(DetectionSet.defaultRoot)).")
    var data: String?

    @Option(help: "With --rolling: sets to run, comma-separated (default: \(RollingForecastBench.standardSets.joined(separator: ","))).")
    var sets: String?

    @Option(help: "With --rolling: daily origins per series (default: 7).")
    var origins: Int?

    @Option(help: "With --rolling: at most this many series per set (default: 2; about 16 CPU minutes in all, most of them AutoETS).")
    var maxSeries: Int?

    @Option(help: "With --rolling: days of history every method fits on before an origin (default: 21).")
    var historyDays: Int?

    @Option(help: "With --rolling: simulated meters to choose the meters set's series from (default: 300).")
    var meters: Int?

    @Option(help: "With --rolling: Python with statsforecast (see above).")
    var python: String?

    @Flag(help: "With --rolling: Forewarn only, no child Python.")
    var noReferences = false

    func validate() throws {
        let rollingOnly: [(String, Bool)] = [
            ("--data", data != nil), ("--sets", sets != nil), ("--origins", origins != nil), ("--max-series", maxSeries != nil),
            ("--history-days", historyDays != nil), ("--meters", meters != nil), ("--python", python != nil),
            ("--no-references", noReferences),
        ]
        if !rolling, let given = rollingOnly.first(where: { $0.1 }) { throw ValidationError("\(given.0) needs --rolling") }
        if rolling, let problem = rollingBench.problem() { throw ValidationError(problem) }
    }

    func run() throws {
        BLASInfo.setThreads(1)
        if rolling { return try runRolling() }
        var rows: [(String, Any)] = []
        let cadence: Int64 = 300_000
        let progress = ProgressDisplay(json: json)
        defer { progress.close() }
        progress.start("simulating \(series) meters for \(days + 1) days")
        var generated = try SimulatedColumns(series: series, days: days + 1, fields: ["kwh"], seed: seed)
        let split = SimulationConfig.defaultStart + Int64(days) * 86_400_000
        let (training, heldOut) = generated.take().split(at: split)
        var model: SeasonalForecaster?
        progress.start("fitting on \(training.count) rows")
        let fitCPU = ProcessCPU.seconds()
        let fitSeconds = try measure { model = try SeasonalForecaster.fit(training) }
        let fitCPUSeconds = ProcessCPU.seconds() - fitCPU
        guard let model else { return }
        progress.start("warming up and scoring")
        var scorer = ForecastScorer(model: model)
        let warm = training.suffix(from: split - 86_400_000)
        let warmSeconds = try measure { try scorer.warmUp(from: warm) }
        let batches = heldOut.batchesByTime()
        var out = ForecastScores()
        let scoreCPU = ProcessCPU.seconds()
        let scoreSeconds = try measure {
            for batch in batches { try scorer.score(batch, into: &out) }
        }
        let scoreCPUSeconds = ProcessCPU.seconds() - scoreCPU
        let flagged = out.anomaly[0].count(where: { $0 })
        let points = heldOut.count
        rows += [
            ("series", series), ("training_days", days), ("training_points", training.count),
            ("fit_seconds", fitSeconds), ("fit_cpu_seconds", fitCPUSeconds),
            ("fit_points_per_s", Double(training.count) / fitSeconds),
            ("chosen", "harmonics \(model.design.harmonics) ridge \(model.ridge) lags \(model.lags) level_rate \(model.levelRate)"),
            ("warm_up_points", warm.count), ("warm_up_seconds", warmSeconds),
            ("scored_points", points), ("score_batches", batches.count), ("score_seconds", scoreSeconds),
            ("score_cpu_seconds", scoreCPUSeconds), ("score_points_per_s", Double(points) / scoreSeconds),
            ("score_points_per_cpu_s", Double(points) / scoreCPUSeconds), ("flagged_in_last_batch", flagged),
        ]
        if accuracySeries > 0 {
            progress.start("accuracy on \(accuracySeries) meters")
            rows += try accuracy()
        }
        progress.finish()
        if json {
            try printJSON(Dictionary(uniqueKeysWithValues: rows))
            return
        }
        print("forecast bench: \(series) series x \(days) days at \(cadence / 60_000)-minute cadence, one core")
        for (key, value) in rows {
            if let d = value as? Double { print(String(format: "  %-26@ %.4g", key as NSString, d)) } else { print("  \(key.padding(toLength: 26, withPad: " ", startingAt: 0)) \(value)") }
        }
    }

    /// The issue's accuracy figures on `accuracySeries` meters: 14 days fitted, 7 held out.
    private func accuracy() throws -> [(String, Any)] {
        var generated = try SimulatedColumns(series: accuracySeries, days: 21, fields: ["kwh", "voltage"], seed: seed &+ 1)
        let labelled = generated.labelled
        let all = generated.take()
        let split = SimulationConfig.defaultStart + 14 * 86_400_000
        let (training, heldOut) = all.split(at: split)
        let model = try SeasonalForecaster.fit(training)
        let labels = (0..<heldOut.count).map {
            labelled.contains(SeriesTime(series: heldOut.seriesCodes[$0], time: heldOut.time[$0]))
        }
        let a = try ForecastAccuracy.measure(model, history: training, heldOut: heldOut, labels: labels)
        return [
            ("accuracy_series", accuracySeries), ("accuracy_fields", "kwh, voltage"),
            ("mase_one_step", a.mase), ("mase_day_ahead", a.dayAheadMASE), ("seasonal_naive_mase", a.naiveMASE),
            ("one_step_improvement_over_naive", a.improvement), ("day_ahead_improvement_over_naive", a.dayAheadImprovement),
            ("interval_coverage", a.coverage), ("fit_holdout_coverage", model.metrics.holdoutCoverage),
            ("precision", a.precision), ("recall", a.recall), ("labelled_events", a.labelled), ("flagged_events", a.flagged),
        ]
    }
}

/// A simulator run gathered into forecaster columns, with its injected anomalies as (series code, time).
private struct SimulatedColumns {
    private var columns: ForecastColumns
    private(set) var labelled: Set<SeriesTime> = []

    init(series: Int, days: Int, fields: [String], seed: UInt64) throws {
        let simulator = Simulator(config: SimulationConfig(series: series, days: days, seed: seed))
        var builder = ForecastColumnsBuilder(fieldNames: fields)
        let labels = try simulator.run { batch in
            try builder.append(
                ForecastColumns(
                    time: batch.time, seriesCodes: batch.seriesCodes, seriesNames: batch.seriesNames,
                    fieldNames: batch.fieldNames, fields: batch.fields))
        }
        columns = builder.columns
        var codes: [String: Int32] = [:]
        for (i, name) in columns.seriesNames.enumerated() { codes[name] = Int32(i) }
        for label in labels where label.kind != "dropout" {
            if let code = codes[label.series] { labelled.insert(SeriesTime(series: code, time: label.time)) }
        }
    }

    /// Hands the columns over without copying them.
    mutating func take() -> ForecastColumns {
        let out = columns
        columns = ForecastColumns(time: [], seriesCodes: [], seriesNames: [], fieldNames: [], fields: [])
        return out
    }
}

private struct SeriesTime: Hashable {
    var series: Int32
    var time: Int64
}

extension ForecastColumns {
    /// Rows before `time` and rows from it on (the simulator writes in time order).
    fileprivate func split(at time: Int64) -> (ForecastColumns, ForecastColumns) {
        let cut = self.time.firstIndex { $0 >= time } ?? count
        return (rows(0..<cut), rows(cut..<count))
    }

    fileprivate func suffix(from time: Int64) -> ForecastColumns {
        rows((self.time.firstIndex { $0 >= time } ?? count)..<count)
    }

    fileprivate func rows(_ r: Range<Int>) -> ForecastColumns {
        ForecastColumns(
            time: Array(time[r]), seriesCodes: Array(seriesCodes[r]), seriesNames: seriesNames,
            fieldNames: fieldNames, fields: fields.map { Array($0[r]) })
    }

    /// One batch per distinct time, as a live stream delivers every meter's reading.
    fileprivate func batchesByTime() -> [ForecastColumns] {
        var out: [ForecastColumns] = []
        var start = 0
        while start < count {
            var end = start
            while end < count, time[end] == time[start] { end += 1 }
            out.append(rows(start..<end))
            start = end
        }
        return out
    }
}
