import Basics
import AnomalyModels
import DurableFiles
import EventArchive
import Foundation
import ModelKinds
import ModelRegistry

/// Fitting one shard's share of a model, and merging the staged shares, for any shardable kind.
enum ShardFit {
    static func files(_ staging: ShardRun, shard: Int) -> ShardFiles {
        ShardFiles(model: staging.path(ShardManifest.model(shard)), sample: staging.path(ShardManifest.sample(shard)))
    }

    /// Refuses plans no shard could fit its share of, before anything is staged.
    static func check(_ kind: any ShardableModelKind, _ plan: ShardPlan, shard: ShardSpec) throws {
        do { try kind.checkShards(settings: plan.parameters, count: shard.count) } catch let error as ModelKindError {
            throw TrainingError("--shard \(shard.text): \(error)")
        }
    }

    /// Reads this shard's series of the plan's window and fits its share.
    static func fit(
        _ kind: any ShardableModelKind, _ plan: ShardPlan, shard: ShardSpec, archive: String, strict: Bool,
        progress: (any ProgressReporter)?
    ) throws -> StagedShard {
        var manifest = ShardManifest(
            plan: plan, shard: shard.index, rows: 0, series: 0, sampleRows: 0, parts: [], partRows: [], skippedParts: [],
            partCount: 0, fitSeconds: 0)
        let began = ContinuousClock.now
        let data = try TrainingData.read(
            archive: archive, stream: plan.stream, fields: plan.fields, from: plan.from, to: plan.to, strict: strict,
            keep: shard.owns, progress: progress)
        let root = URL(fileURLWithPath: archive).standardizedFileURL.path
        manifest.parts = data.report.partRows.map { entry in
            let full = entry.part.standardizedFileURL.path
            return full.hasPrefix(root + "/") ? String(full.dropFirst(root.count + 1)) : full
        }
        manifest.partRows = data.report.partRows.map(\.rows)
        manifest.skippedParts = data.report.problems.map { $0.url.path }
        manifest.partCount = data.report.parts
        guard data.columns.count > 0 else { return StagedShard(manifest: manifest) { _ in } }
        progress?.start("fitting \(kind.name) on shard \(shard.text)'s \(data.columns.count) rows")
        let share = try kind.fitShard(data.columns, settings: plan.parameters, shard: shard.index, of: shard.count, window: plan.from..<plan.to)
        progress?.finish()
        manifest.rows = data.columns.count
        manifest.series = data.columns.seriesNames.count
        manifest.sampleRows = share.sampleRows
        manifest.timeMin = data.timeRange?.min
        manifest.timeMax = data.timeRange?.max
        manifest.fitSeconds = (ContinuousClock.now - began).inSeconds
        return StagedShard(manifest: manifest) { staging in try share.write(files(staging, shard: shard.index)) }
    }

    /// The merged model of a complete set of staged shards.
    static func merge(_ kind: any ShardableModelKind, _ plan: ShardPlan, _ manifests: [ShardManifest], _ staging: ShardRun) throws
        -> FittedModel
    {
        let fitted = manifests.filter { $0.rows > 0 }
        guard !fitted.isEmpty else {
            throw TrainingError("run \(staging.run): no shard had training rows in the window: nothing to register")
        }
        let shares = fitted.map {
            StoredShare(shard: $0.shard, rows: $0.rows, sampleRows: $0.sampleRows, files: files(staging, shard: $0.shard))
        }
        var model: FittedModel
        do { model = try kind.merge(shares, settings: plan.parameters) } catch let error as ModelKindError {
            throw TrainingError("run \(staging.run): \(error)")
        }
        if fitted.count < plan.shards {
            model.notes.append(
                "only shards \(fitted.map { String($0.shard) }.joined(separator: ", ")) of \(plan.shards) had series: "
                    + "the model has only their share")
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
