import AnomalyModels
import EventArchive
import Foundation
import ModelKinds
import ModelRegistry

extension ScheduledTraining {
    /// `train --job FILE --shard i/n`: each shard fits its series of the job's window; the merge
    /// backtests the merged model, applies the gates once and registers it.
    public func runSharded(_ shard: ShardSpec, run: String?) throws -> ShardRunOutcome<Result> {
        let kind = try ShardPlan.shardable(self.kind, shard: shard)
        try ShardPlan.requireKey(archive: job.archive, stream: job.stream)
        let (start, split, end) = try window(alignEnd: true)
        let plan = ShardPlan(
            name: job.name, model: kind.name, stream: job.stream, fields: job.fields,
            parameters: try kind.canonicalParameters(settings, seed: nil), shards: shard.count,
            from: start, to: split, holdoutTo: end)
        try ShardFit.check(kind, plan, shard: shard)
        let training = ShardedTraining(
            registry: registry, modelName: job.name, shard: shard, run: run,
            adoptWindow: job.window.to == nil || job.window.from == nil)
        var result: Result?
        var skipped: [String] = []
        let (outcome, agreed) = try training.run(plan) { plan in
            let staged = try ShardFit.fit(kind, plan, shard: shard, archive: job.archive, strict: false, progress: progress)
            skipped = staged.manifest.skippedParts
            return staged
        } merge: { plan, manifests, staging in
            let fitted = try ShardFit.merge(kind, plan, manifests, staging)
            // The backtest warms up on the training window: every series, so read it once more.
            let history = kind.backtestNeedsHistory
                ? try TrainingData.read(
                    archive: job.archive, stream: job.stream, fields: fitted.fields, from: plan.from, to: plan.to, strict: false,
                    progress: progress
                ).columns
                : ForecastColumns(time: [], seriesCodes: [], seriesNames: [], fieldNames: fitted.fields, fields: fitted.fields.map { _ in [] })
            let done = try finish(
                fitted: fitted, report: ShardFit.report(manifests, archive: job.archive),
                rows: manifests.reduce(0) { $0 + $1.rows }, history: history,
                window: (plan.from, plan.to, plan.holdoutTo ?? plan.to), staging: staging,
                provenance: [ShardedTraining.provenanceKey: staging.run, "shards": "\(plan.shards)"])
            result = done
            return done.version
        }
        return ShardRunOutcome(run: training.runName(agreed), outcome: outcome, merged: result, skippedParts: skipped)
    }
}
