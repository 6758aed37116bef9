import AnomalyModels
import DurableFiles
import EventArchive
import Foundation
import ModelRegistry

/// Fitting one shard's share of a model, and merging the staged shares.
enum ShardFit {
    /// Training rows each isolation forest shard keeps for the merge's threshold.
    static let sampleLimit = 50_000

    /// Trees of shard `i`: the plan's count split exactly, the first shards taking one more.
    static func trees(_ total: Int, shard: ShardSpec) -> Int {
        total / shard.count + (shard.index < total % shard.count ? 1 : 0)
    }

    /// Each shard draws from its own random stream; shard 0's is the unsharded fit's.
    static func seed(_ seed: UInt64, shard: Int) -> UInt64 { seed &+ UInt64(shard) &* 0x9E37_79B9_7F4A_7C15 }

    /// Refuses plans no shard could fit its share of, before anything is staged.
    static func check(_ plan: ShardPlan, shard: ShardSpec) throws {
        switch plan.model {
        case ModelKindArgument.isolationForest.rawValue:
            let p = try IsolationForestParameters(settings: plan.parameters)
            guard p.trees >= shard.count else {
                throw CommandFailure("--shard \(shard.text): trees=\(p.trees) is fewer than the \(shard.count) shards (each fits a share)")
            }
        case ModelKindArgument.forecast.rawValue:
            let validated = try ForecastParameters(settings: plan.parameters).validatedParameters
            guard validated.isEmpty else {
                throw CommandFailure(
                    "--shard \(shard.text): give one value each for \(validated.joined(separator: ", ")) "
                        + "(validation would choose differently on each shard), e.g. --param harmonics=4,0 "
                        + "--param ridge=1e-4 --param lags=0 --param level_rate=0")
            }
        default:
            throw CommandFailure("unknown model '\(plan.model)' (isolation-forest or forecast)")
        }
    }

    /// Reads this shard's series of the plan's window and fits its share.
    static func fit(_ plan: ShardPlan, shard: ShardSpec, archive: String, strict: Bool) throws -> StagedShard {
        var manifest = ShardManifest(
            plan: plan, shard: shard.index, rows: 0, series: 0, sampleRows: 0, parts: [], partRows: [], skippedParts: [],
            partCount: 0, fitSeconds: 0)
        let began = ContinuousClock.now
        func lineage(_ report: ReadReport) {
            let root = URL(fileURLWithPath: archive).standardizedFileURL.path
            manifest.parts = report.partRows.map { entry in
                let full = entry.part.standardizedFileURL.path
                return full.hasPrefix(root + "/") ? String(full.dropFirst(root.count + 1)) : full
            }
            manifest.partRows = report.partRows.map(\.rows)
            manifest.skippedParts = report.problems.map { $0.url.path }
            manifest.partCount = report.parts
        }
        if plan.model == ModelKindArgument.forecast.rawValue {
            let data: ForecastTrainingData
            do {
                data = try ForecastTrainingData.read(
                    archive: archive, stream: plan.stream, fields: plan.fields, from: plan.from, to: plan.to, strict: strict,
                    keep: shard.owns)
            } catch ModelError.emptyTrainingData { return StagedShard(manifest: manifest) { _ in } }
            lineage(data.report)
            let model = try SeasonalForecaster.fit(
                data.columns, fields: data.fieldNames, parameters: try ForecastParameters(settings: plan.parameters),
                window: plan.from..<plan.to)
            manifest.rows = data.columns.count
            manifest.series = data.columns.seriesNames.count
            manifest.timeMin = data.columns.time.min()
            manifest.timeMax = data.columns.time.max()
            manifest.fitSeconds = (ContinuousClock.now - began).inSeconds
            return StagedShard(manifest: manifest) { staging in try model.save(to: staging.path(ShardManifest.model(shard.index))) }
        }
        let data = try TrainingData.read(
            archive: archive, stream: plan.stream, fields: plan.fields, from: plan.from, to: plan.to, strict: strict,
            keep: shard.owns)
        lineage(data.report)
        guard data.features.rows > 0 else { return StagedShard(manifest: manifest) { _ in } }
        var p = try IsolationForestParameters(settings: plan.parameters)
        p.trees = trees(p.trees, shard: shard)
        p.seed = seed(p.seed, shard: shard.index)
        let forest = try IsolationForest.fit(data.features, featureNames: data.fieldNames, parameters: p)
        let sample = data.features.evenSample(sampleLimit)
        manifest.rows = data.features.rows
        manifest.sampleRows = sample.rows
        manifest.timeMin = data.timeMin
        manifest.timeMax = data.timeMax
        manifest.fitSeconds = (ContinuousClock.now - began).inSeconds
        return StagedShard(manifest: manifest) { staging in
            try forest.save(to: staging.path(ShardManifest.model(shard.index)))
            let bytes = sample.values.withUnsafeBufferPointer { Data(buffer: $0) }
            try Durable.write(bytes, to: staging.path(ShardManifest.sample(shard.index)))
        }
    }

    /// The merged model of a complete set of staged shards.
    static func merge(_ plan: ShardPlan, _ manifests: [ShardManifest], _ staging: ShardRun) throws -> FittedModel {
        let fitted = manifests.filter { $0.rows > 0 }
        guard !fitted.isEmpty else {
            throw CommandFailure("run \(staging.run): no shard had training rows in the window: nothing to register")
        }
        if plan.model == ModelKindArgument.forecast.rawValue {
            let parts = try fitted.map { try SeasonalForecaster.load(from: staging.path(ShardManifest.model($0.shard))) }
            return FittedModel.forecaster(try SeasonalForecaster.merge(parts))
        }
        let parts = try fitted.map { try IsolationForest.load(from: staging.path(ShardManifest.model($0.shard))) }
        let columns = parts[0].columns
        var values: [Double] = [], weights: [Double] = []
        for m in fitted {
            guard let data = staging.read(ShardManifest.sample(m.shard)), data.count == m.sampleRows * columns * 8 else {
                throw CommandFailure("\(staging.path(ShardManifest.sample(m.shard))) is missing or truncated: run shard \(m.shard) again")
            }
            values += data.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
            weights += repeatElement(Double(m.rows) / Double(m.sampleRows), count: m.sampleRows)
        }
        let sample = FeatureMatrix(rows: weights.count, columns: columns, values: values)
        let forest = try IsolationForest.merge(
            parts, rows: fitted.map(\.rows), parameters: try IsolationForestParameters(settings: plan.parameters),
            sample: sample, weights: weights)
        var model = FittedModel.isolationForest(forest, rows: sample)
        let shares = fitted.count < plan.shards ? fitted.map(\.shard) : []
        if !shares.isEmpty {
            model.notes.append(
                "only shards \(shares.map(String.init).joined(separator: ", ")) of \(plan.shards) had series: "
                    + "the forest has their \(forest.treeCount) trees")
        }
        return model
    }

    /// The read report of the whole run, from the shards' lineage: every shard
    /// reads every part of the window, so any shard's list is the run's.
    static func report(_ manifests: [ShardManifest], archive: String) -> ReadReport {
        let total = manifests.reduce(0) { $0 + $1.rows }
        let lineage = manifests.max { $0.parts.count < $1.parts.count }
        var report = ReadReport(rows: total, parts: lineage?.partCount ?? 0)
        let root = URL(fileURLWithPath: archive)
        report.partRows = zip(lineage?.parts ?? [], lineage?.partRows ?? []).map { part, rows in
            (part.hasPrefix("/") ? URL(fileURLWithPath: part) : root.appendingPathComponent(part), rows)
        }
        return report
    }
}
