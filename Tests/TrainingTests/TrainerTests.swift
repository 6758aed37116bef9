import AnomalyModels
import EventArchive
import Foundation
import ModelKinds
import ModelRegistry
import Testing

@testable import Training

/// The trainer as a library: what `train` and `train --job` do, without a subprocess.
@Suite(.serialized) struct TrainerTests {
    final class Archive {
        let dir: URL
        /// Events the simulation wrote (a few dropouts are missing readings).
        var rows = 0
        var archive: String { dir.appendingPathComponent("archive").path }
        var registry: Registry { Registry(root: dir.appendingPathComponent("Models").path) }

        init(days: Int = 3) throws {
            dir = FileManager.default.temporaryDirectory.appendingPathComponent("forewarn-trainer-\(UUID().uuidString)")
            let run = try Simulator(config: SimulationConfig(series: 4, days: days, seed: 5, anomalyRate: 0.01))
                .simulate(into: URL(fileURLWithPath: archive))
            rows = run.rows
            #expect(run.rows <= 4 * 288 * days && run.rows > 4 * 280 * days && run.anomalies > 0)
        }

        deinit { try? FileManager.default.removeItem(at: dir) }

        func job(_ yaml: String) throws -> JobSpec {
            let path = dir.appendingPathComponent("job-\(UUID().uuidString).yaml").path
            try yaml.write(toFile: path, atomically: true, encoding: .utf8)
            return try JobSpec.load(path: path)
        }
    }

    @Test func aRegisteredVersionRecordsItsKindLineageAndReport() throws {
        let a = try Archive()
        var request = TrainingRequest(
            archive: a.archive, stream: "meters", name: "fc", kind: try ModelKinds.standard.kind(named: "forecast"),
            destination: .registry(a.registry, promoteTo: "production", reason: "test"))
        request.settings = ["period=1d"]
        let outcome = try Trainer.train(request)
        #expect(outcome.version == 1 && outcome.promotedTo == "production" && outcome.skippedParts.isEmpty)
        #expect(outcome.trained.rows == a.rows && outcome.fitted.fields == ["kwh", "voltage"])
        let meta = try a.registry.metadata(name: "fc", version: 1)
        #expect(meta.modelKind == "seasonal-forecaster")
        #expect(meta.provenance["model_kind"] == "seasonal-forecaster" && meta.provenance["time_field"] == "ts")
        #expect(meta.partitions.count == outcome.trained.report.parts && meta.rowCount == outcome.trained.rows)
        let report = try String(contentsOfFile: a.registry.root + "/fc/versions/1/report.html", encoding: .utf8)
        #expect(report.contains("fc: training report") && report.contains("validation_mase"))
    }

    @Test func aJobKeepsAWorseChallengerAsCandidateAndPromotesABetterOne() throws {
        let a = try Archive(days: 4)
        let base = "name: m\nstream: meters\narchive: \(a.archive)\nregistry: \(a.registry.root)\nmodel: isolation-forest\nwindow: {last: 4d}\nholdout: 1d\n"
        let first = try ScheduledTraining(job: try a.job(base), defaultRegistry: a.registry.root).run()
        #expect(first.promoted && first.version == 1 && first.champion == nil)
        #expect(first.challenger["auc"].map { $0 > 0.6 } == true)
        // Two trees on eight rows each cannot match the champion's backtest AUC.
        let weak = try ScheduledTraining(
            job: try a.job(base + "params: {trees: \"2\", sample_size: \"8\", seed: \"1\"}\npromotion: {max_regression: 0.0}\n"),
            defaultRegistry: a.registry.root
        ).run()
        #expect(!weak.promoted && weak.version == 2 && weak.champion == 1)
        #expect(weak.refusals.contains { $0.contains("backtest AUC") })
        #expect(try a.registry.resolve(name: "m", alias: "production").version == 1)
        #expect(try a.registry.resolve(name: "m", alias: "candidate").version == 2)
    }

    @Test func jobsWithBadWindowsOrKindsSayWhatIsWrong() throws {
        let a = try Archive(days: 1)
        let base = "name: m\nstream: meters\narchive: \(a.archive)\n"
        #expect(throws: ModelKindError.self) {
            _ = try ScheduledTraining(job: try a.job(base + "model: autoencoder\nwindow: {last: 1d}\n"), defaultRegistry: a.registry.root)
        }
        let noStart = try ScheduledTraining(job: try a.job(base + "window: {}\n"), defaultRegistry: a.registry.root)
        #expect(throws: TrainingError("job m: the window needs 'last' (like 14d) or 'from'")) { try noStart.run() }
        let short = try ScheduledTraining(job: try a.job(base + "window: {last: 12h}\nholdout: 1d\n"), defaultRegistry: a.registry.root)
        #expect(throws: TrainingError("job m: the holdout must be a duration shorter than the window")) { try short.run() }
    }
}
