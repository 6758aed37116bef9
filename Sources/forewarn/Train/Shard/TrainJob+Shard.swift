import AnomalyModels
import ArgumentParser
import Foundation
import ModelRegistry

extension TrainJob {
    /// `train --job FILE --shard i/n`: each shard fits its series of the job's
    /// window; the merge backtests the merged model, applies the gates once and registers it.
    func runSharded(_ shard: ShardSpec, kind: String) throws {
        try ShardPlan.requireKey(archive: job.archive, stream: job.stream)
        let (start, split, end) = try window()
        let plan = ShardPlan(
            name: job.name, model: kind, stream: job.stream, fields: job.fields,
            parameters: try ShardPlan.canonical(model: kind, settings: settings, seed: nil), shards: shard.count,
            from: start, to: split, holdoutTo: end)
        try ShardFit.check(plan, shard: shard)
        let registry = Registry(root: job.registry ?? registryRoot(nil))
        let training = ShardedTraining(
            registry: registry, modelName: job.name, shard: shard, run: shardRun,
            adoptWindow: job.window.to == nil || job.window.from == nil)
        var result: Result?
        let (outcome, agreed) = try training.run(plan) { plan in
            try ShardFit.fit(plan, shard: shard, archive: job.archive, strict: false)
        } merge: { plan, manifests, staging in
            let fitted = try ShardFit.merge(plan, manifests, staging)
            let fields = (fitted.json["fields"] as? [String]) ?? plan.fields ?? []
            // The forecast backtest warms up on the training window: every series, so read it once more.
            let history = kind == ModelKindArgument.forecast.rawValue
                ? try ForecastTrainingData.read(
                    archive: job.archive, stream: job.stream, fields: fields, from: plan.from, to: plan.to, strict: false
                ).columns : nil
            let done = try finish(
                kind: kind, fitted: fitted, report: ShardFit.report(manifests, archive: job.archive),
                rows: manifests.reduce(0) { $0 + $1.rows }, fields: fields, history: history,
                window: (plan.from, plan.to, plan.holdoutTo ?? plan.to), staging: staging,
                provenance: [ShardedTraining.provenanceKey: staging.run, "shards": "\(plan.shards)"])
            result = done
            return done.version
        }
        let run = training.runName(agreed)
        let extra: [String: Any] = ["run": run, "shard": shard.index, "shards": shard.count]
        switch outcome {
        case .staged(let present):
            if json {
                return try printJSON(extra.merging(["name": job.name, "staged": true, "present": present, "registered": false]) { a, _ in a })
            }
            print("staged     shard \(shard.text) of run \(run): \(present) of \(shard.count) shards present; the last one merges")
        case .registered(let version, _):
            if let result {
                try summarize(result, extra: extra.merging(["staged": true, "registered": true, "merged_now": true]) { a, _ in a })
            } else if json {
                try printJSON(extra.merging(["name": job.name, "version": version, "registered": true, "merged_now": false]) { a, _ in a })
            } else {
                print("run \(run) of \(job.name) was already merged into version \(version): nothing to do")
            }
        }
    }
}
