import EventArchive
import Foundation
import Kafka
import ModelKinds
import ModelRegistry
import Scoring
import Testing

/// `serve` and offline `score` go through each kind's one scoring adapter: the same events,
/// in batches of other sizes, get the same scores, flags and bands, bit for bit.
@Suite(.serialized) struct ScoringPathAgreementTests {
    /// Online: JSON events through the decoder and `BatchScorer`, as the poll loop scores them.
    func online(_ meters: SimulatedMeters, model: String) throws -> PredictionColumns {
        let config = try meters.serveConfig(models: [model])
        let watcher = try ModelWatcher(registry: Registry(root: meters.registry), models: config.models, inputs: config.inputs)
        let scorer = BatchScorer(config: config)
        var out = PredictionColumns(score: [], anomaly: [], forecast: [], lower: [], upper: [])
        for batch in meters.kafkaBatches(size: 777) {
            let scored = scorer.score(batch, models: watcher.current)
            #expect(scored.deadLetters == 0)
            append(try #require(scored.predictions.first).columns, to: &out)
        }
        return out
    }

    /// Offline: the same events as CSV rows through `OfflineScorer`, in the file reader's batches.
    func offline(_ meters: SimulatedMeters, model: String) throws -> PredictionColumns {
        let registry = Registry(root: meters.registry)
        let chosen = try registry.verifiedModel(name: model, version: nil, alias: "production")
        let scorer = try OfflineScorer.load(path: chosen.path, timeField: "ts", keyField: "meter", provenance: chosen.provenance)
        var reader = try FeatureTableReader(
            path: try meters.csv(), format: .csv, fields: scorer.featureNames, timeField: scorer.timeField, keyField: scorer.keyField)
        var out = PredictionColumns(score: [], anomaly: [], forecast: [], lower: [], upper: [])
        while let batch = try reader.next() {
            #expect(batch.invalid.isEmpty)
            append(scorer.score(batch), to: &out)
        }
        return out
    }

    /// Appends a batch's predictions (NaN bands for a kind without them).
    func append(_ p: PredictionColumns, to out: inout PredictionColumns) {
        let none = [Double](repeating: .nan, count: p.score.count)
        out.score += p.score
        out.anomaly += p.anomaly
        out.forecast? += p.forecast ?? none
        out.lower? += p.lower ?? none
        out.upper? += p.upper ?? none
    }

    func expectSame(_ a: [Double]?, _ b: [Double]?, _ what: String) {
        guard let a, let b else { return #expect(a == nil && b == nil, "\(what)") }
        #expect(a.count == b.count, "\(what)")
        let differing = zip(a, b).filter { !($0.0 == $0.1 || ($0.0.isNaN && $0.1.isNaN)) }.count
        #expect(differing == 0, "\(what): \(differing) of \(a.count) differ")
    }

    @Test(arguments: ["isolation-forest", "seasonal-forecaster"])
    func onlineAndOfflineScoresAgree(kindName: String) throws {
        let meters = try SimulatedMeters()
        let kind = try ModelKinds.standard.kind(named: kindName)
        try meters.train("m", kind: kind, settings: kindName == "seasonal-forecaster" ? ["period=1d"] : [])
        let online = try online(meters, model: "m"), offline = try offline(meters, model: "m")
        #expect(online.score.count == meters.live.count && offline.score.count == meters.live.count)
        #expect(online.score.filter(\.isFinite).count > meters.live.count / 2)
        expectSame(online.score, offline.score, "score")
        #expect(zip(online.anomaly, offline.anomaly).filter { $0 != $1 }.count == 0, "flags differ")
        expectSame(online.forecast, offline.forecast, "forecast")
        expectSame(online.lower, offline.lower, "lower")
        expectSame(online.upper, offline.upper, "upper")
    }
}
