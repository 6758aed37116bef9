import AnomalyModels
import Basics
import EventArchive

/// The seasonal forecaster: one step ahead per series, flags values outside the band.
public struct SeasonalForecasterKind: ShardableModelKind {
    public init() {}

    public var name: String { SeasonalForecaster.modelKind }
    /// The command line's short name for it since the first release.
    public var aliases: [String] { ["forecast"] }
    public var summary: String { "a seasonal forecaster: flags values outside each series' forecast band" }
    public var parameterHelp: [String] {
        [
            "cadence=auto (median event spacing) or a duration such as 5m",
            "period=auto (of none, the autocorrelation's, 1d and 1d,7d: the one whose",
            "  day-ahead forecasts of the window's last 7 days err least; see",
            "  docs/formats.md), none, or durations: 1d,7d",
            "harmonics=auto (4/8/16 for the first period, 0/3 for the second, at most",
            "  period/2 cells) or 4/8,0/3",
            "calendar=auto (weekend terms with a daily period and 2 weeks of history),",
            "  true or false",
            "lags=0,3  ridge=1e-4,1e-2  level_rate=0,0.02 (several: validation chooses)",
            "alarm_rate=1e-5 (flag below this tail probability; score = 1 - tail",
            "  probability)",
            "coverage=0.95 (band)  threshold=5 (robust sigmas beyond which a value",
            "  does not move the level)",
            "shift_confirm=auto (an hour of cells, at least 3: errors beyond",
            "  threshold/2 on one side before the level moves to them; a sustained",
            "  change is flagged until then)",
            "scale_rate=0.005 (while scoring, each series' scale widens to its recent",
            "  errors' median when they run rougher than validation's; 0 keeps the",
            "  trained scale)",
            "level_score=false (true: also score each value's distance from the",
            "  seasonal profile at the current level, so a slow departure the AR terms",
            "  follow stays flagged; see docs/formats.md)",
            "aggregation=mean|sum|last|count  transform=auto|log|none  minimum_cycles=2",
        ]
    }
    public var defaultMaxRegression: Double { 0.05 }
    public var backtestNeedsHistory: Bool { true }

    /// History a fresh scoring state warms up on: two days, enough for the daily profile and the lags.
    public static let warmUpSpan: Int64 = 2 * 86_400_000

    public func canonicalParameters(_ settings: [String], seed: UInt64?) throws -> [String] {
        try ForecastParameters(settings: settings).settings.sorted()
    }

    public func fit(_ data: ForecastColumns, settings: [String], seed: UInt64?) throws -> FittedModel {
        Self.fitted(try SeasonalForecaster.fit(data, fields: data.fieldNames, parameters: try ForecastParameters(settings: settings)))
    }

    /// A fitted (or merged) forecaster.
    static func fitted(_ model: SeasonalForecaster) -> FittedModel {
        let p = model.parameters
        let m = model.metrics
        var metrics: [String: Double] = [
            "validation_mase": m.validationMASE, "seasonal_naive_mase": m.seasonalNaiveMASE,
            "holdout_coverage": m.holdoutCoverage, "series": Double(model.seriesNames.count),
            "untrained_targets": Double(m.untrainedTargets), "constant_targets": Double(m.constantTargets),
        ]
        var lines = model.choices.map { "chose      \($0)" } + [
            "fields     \(model.fieldNames.joined(separator: ", ")) for \(model.seriesNames.count) series",
            "design     \(model.design.columns) shared columns, \(model.lags) lags, ridge \(model.ridge)",
            String(format: "accuracy   validation MASE %.3f (seasonal naive %.3f), held-out %.0f%% interval coverage %.1f%%",
                m.validationMASE, m.seasonalNaiveMASE, 100 * p.coverage, 100 * m.holdoutCoverage),
        ]
        if let h = model.horizon {
            lines.append(horizonLine(h, coverage: p.coverage, cadenceMs: model.design.cadenceMs))
            // The bucket whose held-out coverage is furthest from the nominal one.
            if let worst = h.holdoutCoverage.filter(\.isFinite).max(by: { abs($0 - p.coverage) < abs($1 - p.coverage) }) {
                metrics["holdout_coverage_ahead_worst"] = worst
            }
        }
        var parameters: [String: String] = [:]
        for item in p.settings {
            if let eq = item.firstIndex(of: "=") { parameters[String(item[..<eq])] = String(item[item.index(after: eq)...]) }
        }
        return FittedModel(
            save: { path, provenance in try model.save(to: path, provenance: provenance) },
            parameters: parameters, metrics: metrics,
            lines: lines,
            json: ["fields": model.fieldNames, "series": model.seriesNames.count, "warnings": model.warnings, "choices": model.choices],
            fields: model.fieldNames, notes: model.warnings,
            report: { model.horizon.map { [bandsAhead($0, coverage: p.coverage, cadenceMs: model.design.cadenceMs)] } ?? [] })
    }

    /// The report's table of the bands ahead: per bucket of steps, the half-widths and the held-out coverage.
    static func bandsAhead(_ h: HorizonCalibration, coverage: Double, cadenceMs: Int64) -> ReportSection {
        var lo = 1
        let rows: [[String]] = h.bucketEnds.indices.map { b in
            defer { lo = h.bucketEnds[b] + 1 }
            let span = lo == h.bucketEnds[b] ? "\(lo)" : "\(lo)–\(h.bucketEnds[b])"
            return [
                span, TimeSpan(milliseconds: Int64(h.bucketEnds[b]) * cadenceMs).description,
                String(format: "±%.2fσ", h.halfWidth(field: 0, step: Int64(h.bucketEnds[b]), coverage: 0.8)),
                String(format: "±%.2fσ", h.halfWidth(field: 0, step: Int64(h.bucketEnds[b]), coverage: coverage)),
                h.holdoutCoverage[b].isFinite ? String(format: "%.1f%%", 100 * h.holdoutCoverage[b]) : "-",
            ]
        }
        return .table(
            heading: "Bands ahead, by steps after the last event (first field; calibrated on rolling origins)",
            header: ["steps", "up to", "80% half-width", String(format: "%.0f%% half-width", 100 * coverage),
                String(format: "held-out %.0f%% coverage", 100 * coverage)],
            rows: rows)
    }

    /// "ahead      95% bands ±2.1σ at 5m, ±3.0σ at 2h, ±4.2σ at 1d; held-out coverage 95.3%, 94.1%, 93.8%" in one line.
    static func horizonLine(_ h: HorizonCalibration, coverage: Double, cadenceMs: Int64) -> String {
        let shown = Array(Set([0, h.bucketEnds.count / 2, h.bucketEnds.count - 1])).sorted()
        func ahead(_ b: Int) -> String { TimeSpan(milliseconds: Int64(h.bucketEnds[b]) * cadenceMs).description }
        let widths = shown.map { b in
            String(format: "±%.1fσ at %@", h.halfWidth(field: 0, step: Int64(h.bucketEnds[b]), coverage: coverage), ahead(b))
        }
        let checked = shown.filter { h.holdoutCoverage[$0].isFinite }.map { String(format: "%.1f%%", 100 * h.holdoutCoverage[$0]) }
        return String(format: "ahead      %.0f%% bands ", 100 * coverage) + widths.joined(separator: ", ")
            + (checked.count == shown.count ? "; held-out coverage " + checked.joined(separator: ", ") : "")
    }

    public func load(path: String) throws -> any ScoringModel { ForecastScoring(model: try SeasonalForecaster.load(from: path)) }

    public func backtest(modelAt path: String, history: ForecastColumns, holdout: Holdout) throws -> Backtest {
        let model = try SeasonalForecaster.load(from: path)
        guard history.count > 0 else { return Backtest(figures: [:]) }
        let a = try ForecastAccuracy.measure(model, history: history, heldOut: holdout.columns, labels: holdout.labels)
        var figures = ["mase": a.mase, "naive_mase": a.naiveMASE, "coverage": a.coverage]
        if holdout.labelled > 0 {
            figures["precision"] = a.precision
            figures["recall"] = a.recall
        }
        return Backtest(figures: figures.filter { $0.value.isFinite })
    }

    // MARK: Sharding

    public func checkShards(settings: [String], count: Int) throws {
        let validated = try ForecastParameters(settings: settings).validatedParameters
        guard validated.isEmpty else {
            throw ModelKindError(
                "give one value each for \(validated.joined(separator: ", ")) "
                    + "(validation would choose differently on each shard), e.g. --param cadence=5m --param period=1d,7d --param harmonics=4,0 "
                    + "--param ridge=1e-4 --param lags=0 --param level_rate=0")
        }
    }

    public func fitShard(_ data: ForecastColumns, settings: [String], shard index: Int, of count: Int, window: Range<Int64>)
        throws -> ShardShare
    {
        let model = try SeasonalForecaster.fit(
            data, fields: data.fieldNames, parameters: try ForecastParameters(settings: settings), window: window)
        return ShardShare(sampleRows: 0) { files in try model.save(to: files.model) }
    }

    public func merge(_ shares: [StoredShare], settings: [String]) throws -> FittedModel {
        Self.fitted(try SeasonalForecaster.merge(try shares.map { try SeasonalForecaster.load(from: $0.files.model) }))
    }
}

/// Forecaster state a scoring path owns: each series' recent values and levels, and reusable output columns.
public final class ForecastState: ScoringState {
    var scorer: ForecastScorer
    var scores = ForecastScores()

    init(_ scorer: ForecastScorer) { self.scorer = scorer }

    /// The per-series state as of now, a copy (for live forecasts read by another task).
    public var snapshot: ForecastScorer { scorer }
}

/// The forecaster as every scoring path uses it.
public struct ForecastScoring: ScoringModel {
    public let model: SeasonalForecaster

    public var featureNames: [String] { model.fieldNames }
    public var forecasts: Bool { true }
    public var warmUpSpan: Int64 { SeasonalForecasterKind.warmUpSpan }

    public func makeState(warmingUpOn history: EventBatch?) -> ScoringState? {
        var scorer = ForecastScorer(model: model)
        if let history, !history.isEmpty { try? scorer.warmUp(from: ForecastColumns(history)) }
        return ForecastState(scorer)
    }

    /// Per event, the field whose value is the most unusual for its series speaks for the event: its forecast,
    /// band, value and error in robust scales (a missing value gives a forecast but no score). The event's tail
    /// probability is that of the most unusual of its scored fields being this unusual
    /// (`TailCalibration.combined`), so an event of forty fields is not flagged forty times as often as one of
    /// one; its score is 1 - that probability, and it is an anomaly below the alarm rate.
    public func score(_ events: EventBatch, columns: [Int], state: ScoringState?) -> PredictionColumns {
        let n = events.count
        var out = PredictionColumns.unscored(n, forecasts: true)
        guard let state = state as? ForecastState else { return out }
        do { try state.scorer.score(ForecastColumns(events), into: &state.scores) } catch { return out }
        let s = state.scores
        var best = [Double](repeating: 2, count: n)
        var scored = [Int32](repeating: 0, count: n)
        var driver = [Int32](repeating: -1, count: n)
        var actual = [Double](repeating: .nan, count: n), sigmas = actual
        for f in s.fieldNames.indices {
            for i in 0..<n where s.status[f][i] == .scored || s.status[f][i] == .missingValue {
                let tail = s.tail[f][i]
                if s.status[f][i] == .scored { scored[i] += 1 }
                if driver[i] < 0 || tail < best[i] {
                    if tail.isFinite { best[i] = tail }
                    driver[i] = Int32(f)
                    actual[i] = events.fields[columns[f]][i]
                    sigmas[i] = s.sigmas[f][i]
                    out.forecast?[i] = s.forecast[f][i]
                    out.lower?[i] = s.lower[f][i]
                    out.upper?[i] = s.upper[f][i]
                }
            }
        }
        let rate = model.parameters.alarmRate
        var tails = [Double](repeating: .nan, count: n)
        for i in 0..<n where scored[i] > 0 {
            let p = TailCalibration.combined(best[i], fields: Int(scored[i]))
            tails[i] = p
            out.score[i] = 1 - p
            out.anomaly[i] = p < rate
        }
        out.tail = tails
        out.explanation = PredictionColumns.Explanation(
            fieldNames: s.fieldNames, field: driver, actual: actual, sigmas: sigmas, fieldForecast: s.forecast,
            fieldLower: s.lower, fieldUpper: s.upper, fieldSigmas: s.sigmas)
        return out
    }
}
