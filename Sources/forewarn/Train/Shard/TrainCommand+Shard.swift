import AnomalyModels
import ArgumentParser
import EventArchive
import Foundation
import ModelRegistry

extension TrainCommand {
    /// `train --shard i/n` without a job file.
    func runSharded(_ shard: ShardSpec) throws {
        let name = self.name ?? "", stream = self.stream ?? ""
        try ShardPlan.requireKey(archive: archive, stream: stream)
        var (from, to) = try window.bounds()
        if from == nil || to == nil, let span = try ShardPlan.archiveSpan(archive: archive, stream: stream) {
            from = from ?? span.first
            to = to ?? ShardPlan.floorToHour(span.end)
        }
        guard let from, let to, from < to else {
            throw CommandFailure("--shard: no events of \(stream) to train on in the window")
        }
        let wanted = fields.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        let plan = ShardPlan(
            name: name, model: model.rawValue, stream: stream, fields: wanted,
            parameters: try ShardPlan.canonical(model: model.rawValue, settings: parameters, seed: seed),
            shards: shard.count, from: from, to: to, holdoutTo: nil)
        try ShardFit.check(plan, shard: shard)
        let registry = self.registry.open()
        let training = ShardedTraining(
            registry: registry, modelName: name, shard: shard, run: shardRun, adoptWindow: window.to == nil)
        var merged: (FittedModel, TrainedModel)?
        var skipped: [String] = []
        let (outcome, agreed) = try training.run(plan) { plan in
            let staged = try ShardFit.fit(plan, shard: shard, archive: archive, strict: strict)
            skipped = staged.manifest.skippedParts
            return staged
        } merge: { plan, manifests, staging in
            let fitted = try ShardFit.merge(plan, manifests, staging)
            let spec = try? StreamSpec.load(path: "\(archive)/\(stream)/stream.yaml")
            let times = manifests.compactMap(\.timeMin) + manifests.compactMap(\.timeMax)
            var trained = TrainedModel(
                name: name, kind: model.rawValue, stream: stream, archive: archive, window: (plan.from, plan.to),
                report: ShardFit.report(manifests, archive: archive), rows: manifests.reduce(0) { $0 + $1.rows },
                timeRange: times.min().flatMap { lo in times.max().map { (lo, $0) } },
                fitSeconds: manifests.map(\.fitSeconds).max() ?? 0, parameters: fitted.parameters,
                metrics: fitted.metrics, timeField: spec?.time, keyField: spec?.key)
            trained.extraProvenance = [ShardedTraining.provenanceKey: staging.run, "shards": "\(plan.shards)"]
            var page = trained.report(title: "\(name): training report (\(plan.shards) shards)")
            fitted.addToReport(&page)
            let meta = try withRegistryErrors {
                try trained.register(
                    in: registry, promoteTo: promote ? alias : nil, reason: reason, report: page, staging: staging
                ) { path in try fitted.save(path, trained.provenance) }
            }
            merged = (fitted, trained)
            return meta.version
        }
        for part in skipped { printError("skipped corrupt part: \(part)") }
        if !json, let notes = merged?.0.notes { for note in notes { printError("note: \(note)") } }
        try reportShard(outcome, shard: shard, run: training.runName(agreed), merged: merged)
        if !skipped.isEmpty { throw ExitCode(2) }
    }

    private func reportShard(
        _ outcome: ShardedTraining.Outcome, shard: ShardSpec, run: String, merged: (FittedModel, TrainedModel)?
    ) throws {
        var out: [String: Any] = ["name": name ?? "", "model": model.rawValue, "run": run, "shard": shard.index, "shards": shard.count]
        switch outcome {
        case .staged(let present):
            out.merge(["staged": true, "present": present, "registered": false]) { a, _ in a }
            if json { return try printJSON(out) }
            print("staged     shard \(shard.text) of run \(run): \(present) of \(shard.count) shards present; the last one merges")
        case .registered(let version, let now):
            out.merge(["staged": now, "present": shard.count, "registered": true, "version": version, "merged_now": now]) { a, _ in a }
            if let (fitted, trained) = merged {
                try report(fitted, trained: trained, outcome: out.merging(["registry": registry.root]) { a, _ in a })
            } else if json {
                try printJSON(out)
            } else {
                print("run \(run) of \(name ?? "") was already merged into version \(version): nothing to do")
            }
        }
    }
}
