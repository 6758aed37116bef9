import Basics
import AnomalyModels
import EventArchive
import Foundation
import ModelKinds
import ModelRegistry

/// Fits and registers models: the library behind `forewarn train` and `forewarn demo`.
public enum Trainer {
    /// Reads the request's window, fits its kind, and saves or registers the model with its lineage and report.
    public static func train(_ request: TrainingRequest) throws -> TrainingOutcome {
        let began = ContinuousClock.now
        // What can be refused without the archive is refused before it is read.
        _ = try request.kind.canonicalParameters(request.settings, seed: request.seed)
        if case .registry(let registry, _, _) = request.destination { try registry.checkKind(request.kind.name, for: request.name) }
        let window = try TrainingData.read(
            archive: request.archive, stream: request.stream, fields: request.fields, from: request.from, to: request.to,
            strict: request.strict, progress: request.progress)
        request.progress?.start("fitting \(request.kind.name) on \(window.columns.count) rows")
        let fitted = try request.kind.fit(window.columns, settings: request.settings, seed: request.seed)
        request.progress?.finish()
        let seconds = (ContinuousClock.now - began).inSeconds
        let spec = try? StreamSpec.load(path: "\(request.archive)/\(request.stream)/stream.yaml")
        var trained = TrainedModel(
            name: request.name, kind: request.kind.name, stream: request.stream, archive: request.archive,
            window: (request.from, request.to), report: window.report, rows: window.columns.count,
            timeRange: window.timeRange, fitSeconds: seconds, parameters: fitted.parameters, metrics: fitted.metrics,
            timeField: spec?.time, keyField: spec?.key)
        trained.fields = fitted.fields
        trained.timeProvenance = spec?.timeProvenance ?? [:]
        var outcome = TrainingOutcome(fitted: fitted, trained: trained)
        switch request.destination {
        case .file(let path):
            try fitted.save(path, trained.provenance)
        case .registry(let registry, let alias, let reason):
            var page = trained.report(title: "\(request.name): training report")
            for section in fitted.report() { page.add(section) }
            if let (history, day) = ReportWindow.lastDay(of: window.columns) {
                let what = "the training window's last day (in-sample: the fit saw these events)"
                for section in ReportWindow.sections(fitted: fitted, kind: request.kind, history: history, window: day, what: what) {
                    page.add(section)
                }
            }
            let registered = try trained.register(
                in: registry, promoteTo: alias, reason: reason, report: page, force: request.forcePromotion
            ) { path in try fitted.save(path, trained.provenance) }
            outcome.version = registered.version
            outcome.promotedTo = registered.promotedTo
            outcome.promotionRefusal = registered.refusal
        }
        return outcome
    }
}
