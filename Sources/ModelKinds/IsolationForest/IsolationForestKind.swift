import AnomalyModels
import DurableFiles
import EventArchive
import Foundation

/// The isolation forest (scikit-learn's semantics): stateless, one pass per batch.
public struct IsolationForestKind: ShardableModelKind {
    public init() {}

    public var name: String { IsolationForest.modelKind }
    public var summary: String { "an isolation forest: flags events unlike the training rows" }
    public var parameterHelp: [String] {
        [
            "trees=100  sample_size=256  max_depth=ceil(log2 sample_size)  seed=0",
            "extended=false (true: hyperplane cuts)",
            "context=fields,profile,diff,std:12  what the trees see of each event:",
            "  profile   deviation from the series' hourly profile, in its robust scales",
            "  diff      that deviation's change since the series' previous event",
            "  lag:N, mean:N, std:N, min:N, max:N   over the series' last N events",
            "  fields    the raw field values;  calendar  hour of day and day of week",
            "  none      the raw field values alone (the forest of scikit-learn)",
            "timezone=UTC  IANA zone of the calendar and the profile's hours",
            "daily_profile=auto  hourly profile only where the window shows a daily",
            "  cycle (two days or more, a day or week in its autocorrelation), else",
            "  each series' flat median and scale; on or off to decide yourself",
            "alarm_rate=1e-3  flag scores this rare among the training rows",
            "contamination=none  or a share of training rows to flag (wins over",
            "  alarm_rate; auto: scikit-learn's fixed score 0.5)",
            "threshold=none  or a fixed raw score in [0, 1] (wins over both)",
        ]
    }

    /// Training rows each shard keeps for the merge's threshold.
    public static let shardSampleLimit = 50_000

    public func canonicalParameters(_ settings: [String], seed: UInt64?) throws -> [String] {
        try ForestSettings(settings, seed: seed).settings.map { "\($0.key)=\($0.value)" }.sorted()
    }

    public func fit(_ data: ForecastColumns, settings: [String], seed: UInt64?) throws -> FittedModel {
        let s = try ForestSettings(settings, seed: seed)
        let span = (data.time.max() ?? 0) - (data.time.min() ?? 0)
        let (forest, rows, profile) = try Self.fitForest(data, s, spanMs: span)
        var fitted = Self.fitted(forest, settings: s, rows: rows, profile: profile)
        if rows.rows < s.forest.sampleSize {
            fitted.notes.append("\(rows.rows) training rows, fewer than sample_size \(s.forest.sampleSize): each tree uses all of them")
        }
        return fitted
    }

    /// The forest fitted on `data`'s rows, built with its context features, calibrated; those rows; and what
    /// profile its context follows, and why (nil without context).
    static func fitForest(_ data: ForecastColumns, _ s: ForestSettings, spanMs: Int64) throws -> (IsolationForest, FeatureMatrix, String?) {
        guard !s.context.isEmpty else {
            let rows = data.matrix()
            var forest = try IsolationForest.fit(rows, featureNames: data.fieldNames, parameters: s.forest)
            s.calibrate(&forest, on: rows)
            return (forest, rows, nil)
        }
        let sorted = data.sortedByTime()
        let profile = try s.dailyProfile.decide(sorted, spanMs: spanMs)
        let context = try StreamContext.fit(sorted, spec: s.context, spanMs: spanMs, daily: profile.daily)
        var features = ContextFeatures(context: context)
        let rows = features.matrix(sorted, fieldColumns: Array(sorted.fieldNames.indices))
        var forest = try IsolationForest.fit(rows, featureNames: context.featureNames, parameters: s.forest)
        forest.context = context
        s.calibrate(&forest, on: rows)
        return (forest, rows, profile.reason)
    }

    /// A fitted (or merged) forest, with training figures measured on `rows`.
    static func fitted(_ forest: IsolationForest, settings: ForestSettings, rows: FeatureMatrix, profile: String? = nil) -> FittedModel {
        let metrics = forest.trainingMetrics(on: rows)
        let flags = forest.alarmRate.map { String(format: "alarm rate %g", $0) } ?? "contamination or threshold"
        var lines = [
            "fields     \(forest.context?.fields.joined(separator: ", ") ?? forest.featureNames.joined(separator: ", "))",
            "trees      \(forest.treeCount) x depth \(forest.depth), \(forest.samplesPerTree) rows each\(forest.isExtended ? ", hyperplane cuts" : "")",
            String(format: "threshold  %.4f (from the %@; flags %.2f%% of the training rows)", forest.threshold, flags, 100 * (metrics["train_anomaly_rate"] ?? 0)),
        ]
        if let c = forest.context {
            lines.insert(
                "context    \(c.spec.text): \(c.featureNames.count) features, \(profile ?? "\(c.slots) profile hours") (\(c.spec.timeZone))",
                at: 1)
        }
        return FittedModel(
            save: { path, provenance in try forest.save(to: path, provenance: provenance) },
            parameters: settings.settings, metrics: metrics, lines: lines,
            json: [
                "fields": forest.context?.fields ?? forest.featureNames, "features": forest.featureNames,
                "context": forest.context?.spec.text ?? "none", "trees": forest.treeCount, "depth": forest.depth,
                "samples_per_tree": forest.samplesPerTree, "extended": forest.isExtended, "threshold": forest.threshold,
            ],
            fields: forest.context?.fields ?? forest.featureNames,
            report: {
                let sample = rows.evenSample(50_000)
                return [
                    .histogram(
                        heading: "Training score distribution", values: forest.score(sample), threshold: forest.threshold,
                        note: "forest scores of \(sample.rows) training rows (an even sample of the \(rows.rows)); "
                            + "the threshold is the score the training rows reach at the alarm rate")
                ]
            })
    }

    public func load(path: String) throws -> any ScoringModel { IsolationForestScoring(forest: try IsolationForest.load(from: path)) }

    public var backtestNeedsHistory: Bool { true }

    public func backtest(modelAt path: String, history: ForecastColumns, holdout: Holdout) throws -> Backtest {
        let scoring = IsolationForestScoring(forest: try IsolationForest.load(from: path))
        let order = holdout.columns.time.indices.sorted { (holdout.columns.time[$0], $0) < (holdout.columns.time[$1], $1) }
        let events = EventBatch(holdout.columns.sortedByTime())
        let labels = order.map { holdout.labels[$0] }
        guard let columns = scoring.columns(in: events), events.count > 0 else { return Backtest(figures: [:]) }
        let recent = (history.time.max() ?? 0) - scoring.warmUpSpan
        let state = scoring.makeState(warmingUpOn: scoring.warmUpSpan > 0 ? EventBatch(history.rows { $0 >= recent }) : nil)
        let p = scoring.score(events, columns: columns, state: state)
        var out: [String: Double] = ["anomaly_rate": Double(p.anomaly.filter { $0 }.count) / Double(events.count)]
        if let auc = rocAUC(scores: events.time.indices.map { p.rank($0) }, labels: labels) { out["auc"] = auc }
        return Backtest(figures: out)
    }

    // MARK: Sharding

    public func checkShards(settings: [String], count: Int) throws {
        let p = try ForestSettings(settings, seed: nil).forest
        guard p.trees >= count else {
            throw ModelKindError("trees=\(p.trees) is fewer than the \(count) shards (each fits a share)")
        }
    }

    /// Trees of shard `index`: the total split exactly, the first shards taking one more.
    public static func trees(_ total: Int, shard index: Int, of count: Int) -> Int {
        total / count + (index < total % count ? 1 : 0)
    }

    /// Each shard draws from its own random stream; shard 0's is the unsharded fit's.
    public static func seed(_ seed: UInt64, shard: Int) -> UInt64 { seed &+ UInt64(shard) &* 0x9E37_79B9_7F4A_7C15 }

    public func fitShard(_ data: ForecastColumns, settings: [String], shard index: Int, of count: Int, window: Range<Int64>)
        throws -> ShardShare
    {
        var s = try ForestSettings(settings, seed: nil)
        s.forest.trees = Self.trees(s.forest.trees, shard: index, of: count)
        s.forest.seed = Self.seed(s.forest.seed, shard: index)
        let (forest, rows, _) = try Self.fitForest(data, s, spanMs: window.upperBound - window.lowerBound)
        let sample = rows.evenSample(Self.shardSampleLimit)
        return ShardShare(sampleRows: sample.rows) { files in
            try forest.save(to: files.model)
            let bytes = sample.values.withUnsafeBufferPointer { Data(buffer: $0) }
            try Durable.write(bytes, to: files.sample)
        }
    }

    public func merge(_ shares: [StoredShare], settings: [String]) throws -> FittedModel {
        let parts = try shares.map { try IsolationForest.load(from: $0.files.model) }
        let columns = parts[0].columns
        var values: [Double] = [], weights: [Double] = []
        for share in shares {
            guard let data = FileManager.default.contents(atPath: share.files.sample), data.count == share.sampleRows * columns * 8
            else {
                throw ModelKindError("\(share.files.sample) is missing or truncated: run shard \(share.shard) again")
            }
            values += data.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
            weights += repeatElement(Double(share.rows) / Double(share.sampleRows), count: share.sampleRows)
        }
        let sample = FeatureMatrix(rows: weights.count, columns: columns, values: values)
        let s = try ForestSettings(settings, seed: nil)
        var forest = try IsolationForest.merge(parts, rows: shares.map(\.rows), parameters: s.forest, sample: sample, weights: weights)
        let contexts = parts.compactMap(\.context)
        if !contexts.isEmpty {
            guard contexts.count == parts.count else { throw ModelKindError("only some shards were fitted with context features") }
            forest.context = try StreamContext.merged(contexts)
        }
        s.calibrate(&forest, on: sample)
        return Self.fitted(forest, settings: s, rows: sample)
    }
}

/// The forest as every scoring path uses it. A forest with context features keeps each series' recent
/// deviations in its state (`ContextFeatures`) and warms it up on the stream's recent history.
public struct IsolationForestScoring: ScoringModel {
    public let forest: IsolationForest
    /// The trees' cut credits, for attribution.
    private let credits: [Double]
    /// Per forest feature, its driver: the field it derives from, or `calendar`.
    private let driverOf: [Int]
    private let driverNames: [String]
    /// Attribute every event, with every driver ranked, not only the flagged ones' top three (for analysis: the
    /// detection bench's hit rates).
    public var attributeAll = false

    public init(forest: IsolationForest) {
        self.forest = forest
        credits = forest.cutCredits()
        var names: [String] = [], of: [Int] = []
        for feature in forest.featureNames {
            let calendar = ["hour_sin", "hour_cos", "weekday_sin", "weekday_cos"].contains(feature) && forest.context != nil
            let name = calendar ? "calendar" : forest.context == nil ? feature : String(feature.prefix { $0 != ":" })
            if let j = names.firstIndex(of: name) { of.append(j) } else { of.append(names.count); names.append(name) }
        }
        driverOf = of
        driverNames = names
    }

    public var featureNames: [String] { forest.context?.fields ?? forest.featureNames }
    public var forecasts: Bool { false }
    public var attributes: Bool { true }
    public var warmUpSpan: Int64 { forest.context?.warmUpSpan ?? 0 }

    public func makeState(warmingUpOn history: EventBatch?) -> ScoringState? {
        guard let context = forest.context else { return nil }
        var features = ContextFeatures(context: context)
        if let history, !history.isEmpty { try? features.warmUp(from: ForecastColumns(history)) }
        return ForestState(features)
    }

    /// The score is 1 - the calibrated tail probability of the forest's raw score where the model has a
    /// calibration (the raw score otherwise); flags are raw scores above the threshold.
    public func score(_ events: EventBatch, columns: [Int], state: ScoringState?) -> PredictionColumns {
        let rows: FeatureMatrix
        if forest.context != nil {
            guard let state = state as? ForestState else { return .unscored(events.count, forecasts: false) }
            rows = state.features.matrix(ForecastColumns(events), fieldColumns: columns)
        } else {
            rows = events.columns.matrix(columns)
        }
        let raw = forest.score(rows)
        var out = PredictionColumns(score: raw, anomaly: forest.flags(raw))
        if let c = forest.calibration {
            let tails = raw.map { c.probability($0) }
            out.tail = tails
            out.score = tails.map { 1 - $0 }
        }
        out.drivers = drivers(rows, flagged: attributeAll ? [Bool](repeating: true, count: rows.rows) : out.anomaly)
        return out
    }

    /// The drivers of the flagged rows, from a second walk of the trees over those rows only (a few in a
    /// thousand), so attribution costs the stream next to nothing.
    private func drivers(_ rows: FeatureMatrix, flagged: [Bool]) -> Drivers {
        var out = Drivers(names: driverNames, events: rows.rows, top: attributeAll ? driverNames.count : 3)
        let picked = flagged.indices.filter { flagged[$0] }
        guard !picked.isEmpty else { return out }
        let d = rows.columns
        let sub = FeatureMatrix(rows: picked.count, columns: d, values: picked.flatMap { rows.values[($0 * d)..<(($0 + 1) * d)] })
        let shares = forest.attribution(sub, credits: credits)
        var credit = [Double](repeating: 0, count: driverNames.count)
        for (k, i) in picked.enumerated() {
            for j in credit.indices { credit[j] = 0 }
            for j in 0..<d { credit[driverOf[j]] += shares[k * d + j] }
            out.set(i, credit: credit)
        }
        return out
    }
}

/// A context forest's per-series memory, owned by the one task that scores.
public final class ForestState: ScoringState {
    var features: ContextFeatures

    init(_ features: ContextFeatures) { self.features = features }
}

extension ForecastColumns {
}

extension FeatureMatrix {
    /// At most `limit` rows, evenly spaced (every row when there are no more).
    public func evenSample(_ limit: Int) -> FeatureMatrix {
        let stride = max(1, (rows + limit - 1) / limit)
        guard stride > 1 else { return self }
        return FeatureMatrix(
            rows: (rows + stride - 1) / stride, columns: columns,
            values: Swift.stride(from: 0, to: rows, by: stride).flatMap { r in values[(r * columns)..<((r + 1) * columns)] })
    }
}
