import EventArchive
import Foundation
import ModelKinds
import ModelRegistry

/// What one shard of a sharded run did.
public struct ShardRunOutcome<Merged> {
    /// The run's name, as agreed with the other shards.
    public var run: String
    public var outcome: ShardedTraining.Outcome
    /// What this shard's merge made, when this shard completed the set.
    public var merged: Merged?
    /// Corrupt archive parts this shard skipped.
    public var skippedParts: [String]
}

extension Trainer {
    /// `train --shard i/n` without a job file: fits this shard's series of the window and stages them;
    /// the shard that completes the set merges and registers the run's one version.
    /// `run` names the run (nil: from the window); the request's destination must be a registry.
    public static func trainShard(_ request: TrainingRequest, shard: ShardSpec, run: String?) throws
        -> ShardRunOutcome<TrainingOutcome>
    {
        guard case .registry(let registry, let alias, let reason) = request.destination else {
            throw TrainingError("--shard registers the merged model: drop --output")
        }
        try registry.checkKind(request.kind.name, for: request.name)
        let kind = try ShardPlan.shardable(request.kind, shard: shard)
        try ShardPlan.requireKey(archive: request.archive, stream: request.stream)
        var (from, to) = (request.from, request.to)
        if from == nil || to == nil, let span = try ShardPlan.archiveSpan(archive: request.archive, stream: request.stream) {
            from = from ?? span.first
            to = to ?? ShardPlan.floorToHour(span.end)
        }
        guard let from, let to, from < to else {
            throw TrainingError("--shard: no events of \(request.stream) to train on in the window")
        }
        let plan = ShardPlan(
            name: request.name, model: kind.name, stream: request.stream, fields: request.fields,
            parameters: try kind.canonicalParameters(request.settings, seed: request.seed),
            shards: shard.count, from: from, to: to, holdoutTo: nil)
        try ShardFit.check(kind, plan, shard: shard)
        let training = ShardedTraining(
            registry: registry, modelName: request.name, shard: shard, run: run, adoptWindow: request.to == nil)
        var merged: TrainingOutcome?
        var skipped: [String] = []
        let (outcome, agreed) = try training.run(plan) { plan in
            let staged = try ShardFit.fit(kind, plan, shard: shard, archive: request.archive, strict: request.strict, progress: request.progress)
            skipped = staged.manifest.skippedParts
            return staged
        } merge: { plan, manifests, staging in
            let fitted = try ShardFit.merge(kind, plan, manifests, staging)
            let spec = try? StreamSpec.load(path: "\(request.archive)/\(request.stream)/stream.yaml")
            let times = manifests.compactMap(\.timeMin) + manifests.compactMap(\.timeMax)
            var trained = TrainedModel(
                name: request.name, kind: kind.name, stream: request.stream, archive: request.archive, window: (plan.from, plan.to),
                report: ShardFit.report(manifests, archive: request.archive), rows: manifests.reduce(0) { $0 + $1.rows },
                timeRange: times.min().flatMap { lo in times.max().map { (lo, $0) } },
                fitSeconds: manifests.map(\.fitSeconds).max() ?? 0, parameters: fitted.parameters,
                metrics: fitted.metrics, timeField: spec?.time, keyField: spec?.key)
            trained.extraProvenance = [ShardedTraining.provenanceKey: staging.run, "shards": "\(plan.shards)"]
            trained.fields = fitted.fields
            trained.timeProvenance = spec?.timeProvenance ?? [:]
            var page = trained.report(title: "\(request.name): training report (\(plan.shards) shards)")
            for section in fitted.report() { page.add(section) }
            let registered = try trained.register(
                in: registry, promoteTo: alias, reason: reason, report: page, staging: staging, force: request.forcePromotion
            ) { path in try fitted.save(path, trained.provenance) }
            merged = TrainingOutcome(
                fitted: fitted, trained: trained, version: registered.version, promotedTo: registered.promotedTo,
                promotionRefusal: registered.refusal)
            return registered.version
        }
        return ShardRunOutcome(run: training.runName(agreed), outcome: outcome, merged: merged, skippedParts: skipped)
    }
}
