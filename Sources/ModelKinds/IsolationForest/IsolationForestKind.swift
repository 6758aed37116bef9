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
            "trees=100  sample_size=256  max_depth=ceil(log2 sample_size)  extended=false",
            "contamination=0.01 (training rows flagged; auto: scikit-learn's fixed 0.5)",
            "threshold=0.6 (a fixed score threshold; wins over contamination)  seed=0",
        ]
    }

    /// Training rows each shard keeps for the merge's threshold.
    public static let shardSampleLimit = 50_000

    public func parameters(_ settings: [String], seed: UInt64?) throws -> IsolationForestParameters {
        var p = try IsolationForestParameters(settings: settings)
        if let seed { p.seed = seed }
        return p
    }

    public func canonicalParameters(_ settings: [String], seed: UInt64?) throws -> [String] {
        try parameters(settings, seed: seed).settings.map { "\($0.key)=\($0.value)" }.sorted()
    }

    public func fit(_ data: ForecastColumns, settings: [String], seed: UInt64?) throws -> FittedModel {
        let p = try parameters(settings, seed: seed)
        let rows = data.matrix()
        let forest = try IsolationForest.fit(rows, featureNames: data.fieldNames, parameters: p)
        var fitted = Self.fitted(forest, rows: rows)
        if rows.rows < p.sampleSize {
            fitted.notes.append("\(rows.rows) training rows, fewer than sample_size \(p.sampleSize): each tree uses all of them")
        }
        return fitted
    }

    /// A fitted (or merged) forest, with training figures measured on `rows`.
    static func fitted(_ forest: IsolationForest, rows: FeatureMatrix) -> FittedModel {
        let metrics = forest.trainingMetrics(on: rows)
        return FittedModel(
            save: { path, provenance in try forest.save(to: path, provenance: provenance) },
            parameters: forest.parameters.settings, metrics: metrics,
            lines: [
                "fields     \(forest.featureNames.joined(separator: ", "))",
                "trees      \(forest.treeCount) x depth \(forest.depth), \(forest.samplesPerTree) rows each\(forest.isExtended ? ", hyperplane cuts" : "")",
                String(format: "threshold  %.4f (flags %.2f%% of the training rows)", forest.threshold, 100 * (metrics["train_anomaly_rate"] ?? 0)),
            ],
            json: [
                "fields": forest.featureNames, "trees": forest.treeCount, "depth": forest.depth,
                "samples_per_tree": forest.samplesPerTree, "extended": forest.isExtended, "threshold": forest.threshold,
            ],
            fields: forest.featureNames,
            report: {
                [.histogram(heading: "Training score distribution", values: forest.score(rows.evenSample(50_000)), threshold: forest.threshold)]
            })
    }

    public func load(path: String) throws -> any ScoringModel { IsolationForestScoring(forest: try IsolationForest.load(from: path)) }

    public func backtest(modelAt path: String, history: ForecastColumns, holdout: Holdout) throws -> Backtest {
        let forest = try IsolationForest.load(from: path)
        guard let order = forest.featureNames.map({ holdout.columns.fieldNames.firstIndex(of: $0) }) as? [Int],
            holdout.columns.count > 0
        else { return Backtest(figures: [:]) }
        let x = holdout.columns.matrix(order)
        let scores = forest.score(x)
        var out: [String: Double] = ["anomaly_rate": Double(forest.flags(scores).filter { $0 }.count) / Double(x.rows)]
        if let auc = rocAUC(scores: scores, labels: holdout.labels) { out["auc"] = auc }
        return Backtest(figures: out)
    }

    // MARK: Sharding

    public func checkShards(settings: [String], count: Int) throws {
        let p = try IsolationForestParameters(settings: settings)
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
        var p = try IsolationForestParameters(settings: settings)
        p.trees = Self.trees(p.trees, shard: index, of: count)
        p.seed = Self.seed(p.seed, shard: index)
        let rows = data.matrix()
        let forest = try IsolationForest.fit(rows, featureNames: data.fieldNames, parameters: p)
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
        let forest = try IsolationForest.merge(
            parts, rows: shares.map(\.rows), parameters: try IsolationForestParameters(settings: settings),
            sample: sample, weights: weights)
        return Self.fitted(forest, rows: sample)
    }
}

/// The forest as every scoring path uses it.
public struct IsolationForestScoring: ScoringModel {
    public let forest: IsolationForest

    public var featureNames: [String] { forest.featureNames }
    public var forecasts: Bool { false }
    public var warmUpSpan: Int64 { 0 }

    public func makeState(warmingUpOn history: EventBatch?) -> ScoringState? { nil }

    public func score(_ events: EventBatch, columns: [Int], state: ScoringState?) -> PredictionColumns {
        let scores = forest.score(events.columns.matrix(columns))
        return PredictionColumns(score: scores, anomaly: forest.flags(scores))
    }
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
