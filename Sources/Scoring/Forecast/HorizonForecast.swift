import AnomalyModels
import EventArchive
import Foundation
import ModelKinds

/// What `forewarn forecast` computes: for each series, the forecaster's state warmed on the archived events
/// before `from`, then one row per cadence step of [from, from + horizon) and field, with a band per coverage.
public struct HorizonForecast: Sendable {
    public struct Row: Sendable {
        public var series: String
        public var time: Int64
        public var field: String
        public var forecast: Double
        /// One per coverage, in the request's order.
        public var lower: [Double]
        public var upper: [Double]
    }

    public var fieldNames: [String]
    public var coverages: [Double]
    public var from: Int64
    public var rows: [Row] = []
    /// Series asked for (or known to the model) that got no forecast, and why.
    public var skipped: [(series: String, reason: String)] = []
    /// Damaged archive parts that were skipped while reading the warm-up window.
    public var archiveProblems: [String] = []

    /// Histories shorter than this many events give no forecast (the state would be the training's, not the series').
    public static let minimumHistory = 3
    /// The longest horizon asked for in one go: 100,000 steps per series.
    public static let maximumSteps: Int64 = 100_000

    /// Forecasts with the model at `path` (which must be a forecaster). `series` empty: every series the model
    /// knows. `from` nil: the cell after the archive's last event. `coverages` empty: the model's own. Throws `OfflineScoringError` for a model that
    /// does not forecast, a bad horizon or coverage, an empty archive.
    public static func run(
        modelAt path: String, archive: String, stream: String, series: [String], from: Int64?, horizonMs: Int64,
        coverages: [Double], kinds: ModelKinds = .standard
    ) throws -> HorizonForecast {
        let loaded: any ScoringModel
        do { loaded = try kinds.load(path: path).model } catch let error as ModelKindError {
            throw OfflineScoringError("\(path): this Forewarn cannot load it: \(error)")
        }
        guard let forecaster = loaded as? ForecastScoring else {
            throw OfflineScoringError("\(path) is not a forecaster (an isolation forest scores events but does not forecast)")
        }
        let model = forecaster.model
        let cadence = model.design.cadenceMs
        guard horizonMs >= cadence else {
            throw OfflineScoringError("the horizon must be at least one cadence step (\(cadence) ms)")
        }
        guard horizonMs / cadence <= maximumSteps else {
            throw OfflineScoringError("a horizon of \(horizonMs / cadence) steps is more than \(maximumSteps) per series")
        }
        let coverages = coverages.isEmpty ? [model.parameters.coverage] : coverages
        guard coverages.allSatisfy({ $0 > 0 && $0 < 1 }) else {
            throw OfflineScoringError("coverages must be in (0, 1), such as 0.8,0.95: \(coverages)")
        }
        let start: Int64
        if let from { start = from } else {
            let reader = try ArchiveReader(root: URL(fileURLWithPath: archive), stream: stream)
            guard let last = try reader.parts().parts.map(\.timeMax).max() else {
                throw OfflineScoringError("the archive has no events of \(stream): give --from")
            }
            start = (last / cadence + 1) * cadence
        }
        let wanted = series.isEmpty ? model.seriesNames : series
        let asked = Set(wanted)
        // The warm-up window, damaged parts skipped and named; only the asked-for series are kept.
        let reader = try ArchiveReader(root: URL(fileURLWithPath: archive), stream: stream)
        var history = ForecastColumnsBuilder(fieldNames: model.fieldNames)
        let report = try reader.read(from: start - SeasonalForecasterKind.warmUpSpan, to: start, fields: model.fieldNames) { batch in
            let rows = batch.seriesCodes.indices.filter { asked.contains(batch.seriesNames[Int(batch.seriesCodes[$0])]) }
            guard !rows.isEmpty else { return }
            try history.append(ForecastColumns(batch.rows(rows)))
        }
        var out = HorizonForecast(fieldNames: model.fieldNames, coverages: coverages, from: start)
        out.archiveProblems = report.problems.map { "\($0)" }
        var counts: [String: Int] = [:]
        for code in history.columns.seriesCodes { counts[history.columns.seriesNames[Int(code)], default: 0] += 1 }
        var scorer = ForecastScorer(model: model)
        try scorer.warmUp(from: history.columns)
        let known = Set(model.seriesNames)
        let steps = Int((horizonMs + cadence - 1) / cadence)
        var names: [String] = []
        for name in wanted {
            if !known.contains(name) {
                out.skipped.append((name, "the model was not trained on this series"))
            } else if counts[name, default: 0] < minimumHistory {
                out.skipped.append((name, "\(counts[name, default: 0]) archived events in the 2 days before the start (at least \(minimumHistory) needed)"))
            } else {
                names.append(name)
            }
        }
        guard !names.isEmpty else { return out }
        out.rows = try rows(&scorer, series: names, start: start, steps: steps, coverages: coverages)
        return out
    }

    /// From `scorer`'s state, one row per series of `series` (all known to the model), step of `steps` from
    /// `start` and field, with a band per coverage.
    static func rows(
        _ scorer: inout ForecastScorer, series names: [String], start: Int64, steps: Int, coverages: [Double]
    ) throws -> [Row] {
        let model = scorer.model, cadence = model.design.cadenceMs
        var time: [Int64] = [], codes: [Int32] = []
        for s in names.indices {
            for k in 0..<steps {
                time.append(start + Int64(k) * cadence)
                codes.append(Int32(s))
            }
        }
        let nan = [Double](repeating: .nan, count: time.count)
        let ahead = ForecastColumns(
            time: time, seriesCodes: codes, seriesNames: names, fieldNames: model.fieldNames,
            fields: model.fieldNames.map { _ in nan })
        let bands = try scorer.bands(ahead, coverages: coverages)
        var out: [Row] = []
        for row in 0..<time.count {
            for (f, field) in model.fieldNames.enumerated() where bands.forecast[f][row].isFinite {
                out.append(
                    Row(
                        series: names[Int(codes[row])], time: time[row], field: field, forecast: bands.forecast[f][row],
                        lower: coverages.indices.map { bands.lower[$0][f][row] },
                        upper: coverages.indices.map { bands.upper[$0][f][row] }))
            }
        }
        return out
    }
}
