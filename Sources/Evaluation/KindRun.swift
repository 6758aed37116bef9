import AnomalyModels
import Basics
import EventArchive
import Foundation
import ModelKinds
import Scoring

/// One model kind on one benchmark file, as Forewarn runs it in production: fitted with no
/// parameters by the kind's own `fit` (what `forewarn train` calls), saved and loaded as a model
/// file, then scored through `ServedModel` (what `serve` scores with) batch by batch in time order,
/// its per-series state warmed on the end of the training rows as `serve` warms it on the archive.
public struct KindRun: Sendable {
    public var kind: String
    /// Per test row: the adapter's event score, or for a model whose score is 1 - a tail probability,
    /// -log10 of that probability, which ranks the same but never rounds far-out events to one tie
    /// (NaN where the model gave none).
    public var scores: [Double]
    /// Per test row: the model's own `anomaly` flag.
    public var flags: [Bool]
    public var fitSeconds: Double
    public var scoreSeconds: Double
    /// The fit's figures (validation MASE, training anomaly rate, ...) and warnings.
    public var fitMetrics: [String: Double]
    public var notes: [String]
    /// What the fit chose and why, as `train` prints it.
    public var fitLines: [String] = []
    /// With `attribute`, per test row the model's drivers, most first (nil for a model that gives none).
    public var rankings: [[String]]?

    /// How many test rows the model left unscored (NaN).
    public var unscored: Int { scores.reduce(0) { $0 + ($1.isNaN ? 1 : 0) } }

    /// Fits `kind` on `c.train` with `settings` (none: the defaults) and scores `c.test`, `batchEvents`
    /// events per batch. Throws the kind's own error when it refuses to fit or load; `scratch` holds
    /// the model file meanwhile.
    public static func run(
        _ kind: any ModelKind, on c: DetectionCase, settings: [String] = [], batchEvents: Int, scratch: String,
        attribute: Bool = false
    ) throws -> KindRun {
        let began = ContinuousClock.now
        let fitted = try kind.fit(ForecastColumns(c.train.events), settings: settings, seed: nil)
        let fitSeconds = (ContinuousClock.now - began).inSeconds
        let path = (scratch as NSString).appendingPathComponent("\(kind.name).h5")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try fitted.save(path, ["bench": "detection", "data": "\(c.set)/\(c.name)"])
        var model = try kind.load(path: path)
        if attribute, var forest = model as? IsolationForestScoring {
            forest.attributeAll = true
            model = forest
        }
        let history = model.warmUpSpan > 0 ? c.train.events(since: (c.train.time.last ?? 0) - model.warmUpSpan) : nil
        let served = ServedModel(name: kind.name, version: 1, model: model, history: { (history, []) })
        let events = c.test.events
        guard let columns = model.columns(in: events) else {
            throw ModelKindError("the model reads \(model.featureNames) but the file has \(events.fieldNames)")
        }
        let scoring = ContinuousClock.now
        let state = served.makeState()
        var scores: [Double] = [], flags: [Bool] = []
        var rankings: [[String]]? = attribute && model.attributes ? [] : nil
        scores.reserveCapacity(events.count)
        flags.reserveCapacity(events.count)
        for start in stride(from: 0, to: events.count, by: max(1, batchEvents)) {
            let batch = events.rows(start..<min(events.count, start + max(1, batchEvents)))
            let p = served.score(batch, columns: columns, state: state)
            for i in p.score.indices { scores.append(p.rank(i)) }
            flags += p.anomaly
            if rankings != nil, let d = p.drivers { for i in p.score.indices { rankings?.append(d.list(i).map(\.name)) } }
        }
        return KindRun(
            kind: kind.name, scores: scores, flags: flags, fitSeconds: fitSeconds,
            scoreSeconds: (ContinuousClock.now - scoring).inSeconds, fitMetrics: fitted.metrics, notes: fitted.notes,
            fitLines: fitted.lines, rankings: rankings)
    }
}
