import AnomalyModels
import ArgumentParser
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

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        BLASInfo.setThreads(1)
        var rows: [(String, Any)] = []
        let cadence: Int64 = 300_000
        var generated = try SimulatedColumns(series: series, days: days + 1, fields: ["kwh"], seed: seed)
        let split = SimulationConfig.defaultStart + Int64(days) * 86_400_000
        let (training, heldOut) = generated.take().split(at: split)
        var model: SeasonalForecaster?
        let fitCPU = processCPUSeconds()
        let fitSeconds = try measure { model = try SeasonalForecaster.fit(training) }
        let fitCPUSeconds = processCPUSeconds() - fitCPU
        guard let model else { return }
        var scorer = ForecastScorer(model: model)
        let warm = training.suffix(from: split - 86_400_000)
        let warmSeconds = try measure { try scorer.warmUp(from: warm) }
        let batches = heldOut.batchesByTime()
        var out = ForecastScores()
        let scoreCPU = processCPUSeconds()
        let scoreSeconds = try measure {
            for batch in batches { try scorer.score(batch, into: &out) }
        }
        let scoreCPUSeconds = processCPUSeconds() - scoreCPU
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
        if accuracySeries > 0 { rows += try accuracy() }
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

/// CPU time of the whole process: with OpenBLAS held to one thread it is the
/// single-core cost, and unlike wall time it does not grow when other work
/// shares the machine.
private func processCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
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
