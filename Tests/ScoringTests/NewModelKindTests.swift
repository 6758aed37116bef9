import AnomalyModels
import EventArchive
import Foundation
import HDF5Kit
import ModelKinds
import ModelRegistry
import Scoring
import Testing
import Training

/// A kind that lives only in this test: per-field z-scores against the training mean and spread.
/// Its whole definition is this type; nothing in Forewarn knows its name.
struct ZScoreKind: ModelKind {
    var name: String { "test-zscore" }
    var summary: String { "z-scores against the training mean" }
    var parameterHelp: [String] { ["limit=4 (z that flags)"] }

    func canonicalParameters(_ settings: [String], seed: UInt64?) throws -> [String] { settings.sorted() }

    func fit(_ data: ForecastColumns, settings: [String], seed: UInt64?) throws -> FittedModel {
        guard data.count > 1 else { throw ModelError.emptyTrainingData }
        let limit = settings.first { $0.hasPrefix("limit=") }.flatMap { Double($0.dropFirst(6)) } ?? 4
        let means = data.fields.map { $0.reduce(0, +) / Double($0.count) }
        let spreads = zip(data.fields, means).map { column, m in
            max(1e-9, (column.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(column.count - 1)).squareRoot())
        }
        let model = ZScoreModel(featureNames: data.fieldNames, means: means, spreads: spreads, limit: limit)
        return FittedModel(
            save: { path, _ in try model.save(path, kind: name) }, parameters: ["limit": "\(limit)"], metrics: [:],
            lines: ["fields     \(data.fieldNames.joined(separator: ", "))"], json: ["fields": data.fieldNames], fields: data.fieldNames)
    }

    func load(path: String) throws -> any ScoringModel { try ZScoreModel.load(path) }

    func backtest(modelAt path: String, history: ForecastColumns, holdout: Holdout) throws -> Backtest {
        Backtest(figures: ["events": Double(holdout.columns.count)])
    }
}

struct ZScoreModel: ScoringModel {
    let featureNames: [String]
    let means: [Double], spreads: [Double]
    let limit: Double
    var forecasts: Bool { false }
    var warmUpSpan: Int64 { 0 }

    func makeState(warmingUpOn history: EventBatch?) -> ScoringState? { nil }

    func score(_ events: EventBatch, columns: [Int], state: ScoringState?) -> PredictionColumns {
        let z = (0..<events.count).map { i in
            columns.enumerated().map { j, c in abs(events.fields[c][i] - means[j]) / spreads[j] }.max() ?? 0
        }
        return PredictionColumns(score: z.map { $0 / ($0 + limit) }, anomaly: z.map { $0 > limit })
    }

    func save(_ path: String, kind: String) throws {
        let file = try HDF5File(path: path, mode: .truncate)
        try file.setAttribute("format", .string("forewarn-model"))
        try file.setAttribute("format_version", .int32(1))
        try file.setAttribute("model_kind", .string(kind))
        try file.setAttribute("fields", .strings(featureNames))
        try file.setAttribute("stats", .strings(zip(means, spreads).map { "\($0) \($1)" } + ["\(limit)"]))
        try file.close()
    }

    static func load(_ path: String) throws -> ZScoreModel {
        let file = try HDF5File(path: path, mode: .readOnly)
        defer { try? file.close() }
        let stats = try file.stringsAttribute("stats")
        let pairs = stats.dropLast().map { $0.split(separator: " ").compactMap { Double($0) } }
        return ZScoreModel(
            featureNames: try file.stringsAttribute("fields"), means: pairs.map { $0[0] }, spreads: pairs.map { $0[1] },
            limit: Double(stats.last ?? "4") ?? 4)
    }
}

@Suite(.serialized) struct NewModelKindTests {
    @Test func aKindAddedToTheTableTrainsRegistersScoresAndServes() throws {
        let meters = try SimulatedMeters()
        let kinds = ModelKinds.standard.adding(ZScoreKind())
        let kind = try kinds.kind(named: "test-zscore")

        // Train and register: the registry checks the file loads through the same table.
        let trained = try meters.train("z", kind: kind, kinds: kinds)
        #expect(trained.version == 1 && trained.trained.kind == "test-zscore")
        let registry = Registry(root: meters.registry, loaders: ModelLoaders(kinds: kinds))
        let path = try registry.verifiedModelPath(name: "z", version: try registry.resolve(name: "z", alias: "production").version)
        #expect(try registry.metadata(name: "z", version: 1).modelKind == "test-zscore")
        #expect(try registry.verify(name: "z").isClean)
        #expect(try !Registry(root: meters.registry).verify(name: "z").isClean)
        // Without the kind in its table, this build refuses it by name.
        #expect(throws: (any Error).self) { try ModelKinds.standard.kind(ofFile: path) }

        // Score offline.
        let offline = try OfflineScorer.load(path: path, timeField: nil, keyField: nil, provenance: [:], kinds: kinds)
        let output = meters.dir.appendingPathComponent("scored.csv").path
        let summary = try offline.scoreFile(input: try meters.csv(), format: .csv, output: output, strict: false)
        #expect(summary.rows == meters.live.count && summary.invalidRows == 0)

        // Serve: the watcher loads it through the table, the batch scorer scores the live day with it.
        let config = try meters.serveConfig(models: ["z"])
        let watcher = try ModelWatcher(registry: registry, models: config.models, inputs: config.inputs, kinds: kinds)
        #expect(watcher.current.entries.first?.model.model is ZScoreModel)
        let scorer = BatchScorer(config: config)
        var flagged = 0, predicted = 0
        for batch in meters.kafkaBatches(size: 500) {
            let scored = scorer.score(batch, models: watcher.current)
            predicted += scored.predictionsOut
            flagged += scored.anomalies
        }
        #expect(predicted == meters.live.count)
        #expect(flagged == summary.anomalies && flagged > 0)
    }

    @Test func theScorerServesAKindAddedToTheTable() async throws {
        let meters = try SimulatedMeters()
        let kinds = ModelKinds.standard.adding(ZScoreKind())
        try meters.train("z", kind: try kinds.kind(named: "test-zscore"), kinds: kinds)
        let harness = try ServeHarness()
        var config = try harness.config()
        config.registry = meters.registry
        config.models[0].name = "z"
        var options = ScoringStack.Options()
        // The standard table cannot load it: the stack refuses to start rather than serve nothing.
        await #expect(throws: (any Error).self) { _ = try await ScoringStack.assemble(config, options: options) }
        options.kinds = kinds
        let stack = try await ScoringStack.assemble(config, options: options)
        let task = Task { try await stack.run() }
        try await harness.send(0..<300)
        let predictions = try await harness.readDistinctEvents(harness.output, count: 300)
        task.cancel()
        try await task.value
        #expect(predictions.allSatisfy { $0.json["model"] as? String == "z" && $0.json["version"] as? Int == 1 })
        // Every 97th event is a spike far outside the training spread.
        let flagged = Set(predictions.filter { $0.json["anomaly"] as? Bool == true }.compactMap { $0.json["event_id"] as? String })
        #expect(flagged.isSuperset(of: ["r0", "r97", "r194", "r291"]))
    }

    @Test func theForecasterHasOneNameAndTakesItsOldOneAsAnAlias() throws {
        let kinds = ModelKinds.standard
        #expect(try kinds.kind(named: "forecast").name == "seasonal-forecaster")
        #expect(try kinds.kind(named: "seasonal-forecaster").name == "seasonal-forecaster")
        #expect(kinds.names == ["isolation-forest", "seasonal-forecaster"])
        #expect(throws: ModelKindError.self) { try kinds.kind(named: "autoencoder") }
        do { _ = try kinds.kind(named: "autoencoder") } catch { #expect("\(error)".contains("seasonal-forecaster or forecast")) }
    }
}
