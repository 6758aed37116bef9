import EventArchive
import Foundation
import ModelRegistry
import Testing

@testable import forewarn

/// `forewarn train --shard i/n` through the real executable (the shard assignment itself: TrainingTests).
@Suite(.serialized) struct ShardCLITests {
    @Test func shardArgumentsAreCheckedClearly() {
        for bad in ["3/3", "-1/2", "1", "a/b", "0/0"] {
            let r = try? CLIRunner.run(["train", "--stream", "s", "--name", "n", "--shard", bad])
            #expect(r?.status == 64, "\(bad)")
        }
        let r = try? CLIRunner.run(["train", "--stream", "s", "--name", "n", "--shard", "3/3"])
        #expect(r?.stderr.contains("--shard 3/3: the index must be below the count") == true)
    }

    static func train(_ archive: String, _ registry: String, _ extra: [String]) throws -> CLIRunner.Result {
        try CLIRunner.run(
            ["train", "--archive", archive, "--stream", "meters", "--name", "meters-if", "--registry", registry,
             "--from", "2026-01-01", "--to", "2026-01-03", "--seed", "3", "--json"] + extra)
    }

    @Test func shardsInAnyOrderMakeOneVersionAndARerunChangesNothing() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let archive = try TrainScoreCLITests.archive(dir)
        let registry = dir.path("Models")
        for (k, i) in [2, 0, 1].enumerated() {
            let r = try Self.train(archive, registry, ["--shard", "\(i)/3"])
            #expect(r.status == 0, "\(r.stderr)")
            let j = jsonObject(r.stdout)
            #expect(j["present"] as? Int == k + 1)
            #expect(j["registered"] as? Bool == (k == 2))
            if k == 2 {
                #expect(j["version"] as? Int == 1 && j["trees"] as? Int == 100 && j["rows"] as? Int == 6 * 288 * 2)
            }
        }
        let again = try Self.train(archive, registry, ["--shard", "1/3"])
        #expect(again.status == 0 && jsonObject(again.stdout)["merged_now"] as? Bool == false)
        #expect(try Registry(root: registry).versions(of: "meters-if") == [1])
        let meta = try Registry(root: registry).metadata(name: "meters-if", version: 1)
        #expect(meta.provenance["shard_run"] == "20260101T000000Z-20260103T000000Z" && meta.provenance["shards"] == "3")
        #expect(meta.partitions.count > 0 && meta.rowCount == 6 * 288 * 2)
        let staging = "\(registry)/meters-if/.shards/20260101T000000Z-20260103T000000Z"
        #expect(!FileManager.default.fileExists(atPath: "\(staging)/shard-0.h5"), "the merge removes the staged models")
    }

    @Test func oneShardOfOneIsTheUnshardedModel() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let archive = try TrainScoreCLITests.archive(dir)
        let registry = dir.path("Models")
        let sharded = jsonObject(try Self.train(archive, registry, ["--shard", "0/1"]).stdout)
        let plain = jsonObject(try Self.train(archive, dir.path("Plain"), []).stdout)
        #expect(sharded["threshold"] as? Double == plain["threshold"] as? Double)
        #expect(sharded["depth"] as? Int == plain["depth"] as? Int)
        let a = try Data(contentsOf: URL(fileURLWithPath: "\(registry)/meters-if/versions/1/model.h5"))
        #expect(!a.isEmpty)
    }

    @Test func shardsRunningAtOnceAsProcessesMakeOneVersion() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let archive = try TrainScoreCLITests.archive(dir)
        let registry = dir.path("Models")
        let results = LockedResults()
        DispatchQueue.concurrentPerform(iterations: 4) { i in
            results.add(try? Self.train(archive, registry, ["--shard", "\(i)/4", "--run", "nightly-1"]))
        }
        let all = results.all
        #expect(all.count == 4 && all.allSatisfy { $0.status == 0 })
        #expect(all.filter { jsonObject($0.stdout)["merged_now"] as? Bool == true }.count == 1)
        #expect(try Registry(root: registry).versions(of: "meters-if") == [1])
        #expect(try Registry(root: registry).history(of: "meters-if").count == 1)
    }

    @Test func aMismatchedShardIsRefusedAndStagesNothing() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let archive = try TrainScoreCLITests.archive(dir)
        let registry = dir.path("Models")
        #expect(try Self.train(archive, registry, ["--shard", "0/2"]).status == 0)
        let seed = try Self.train(archive, registry, ["--shard", "1/2", "--seed", "4"])
        #expect(seed.status == 1 && seed.stderr.contains("planned differently: parameters seed=4 here, seed=3 in the run"))
        let count = try Self.train(archive, registry, ["--shard", "1/3"])
        #expect(count.status == 1 && count.stderr.contains("shard count 3 here, 2 in the run"))
        let window = try Self.train(archive, registry, ["--shard", "1/2", "--run", "20260101T000000Z-20260103T000000Z", "--to", "2026-01-02"])
        #expect(window.status == 1 && window.stderr.contains("window"))
        let staging = "\(registry)/meters-if/.shards/20260101T000000Z-20260103T000000Z"
        #expect(try FileManager.default.contentsOfDirectory(atPath: staging).sorted() == ["plan.json", "shard-0.h5", "shard-0.json", "shard-0.rows"])
        #expect(((try? Registry(root: registry).versions(of: "meters-if")) ?? []).isEmpty)
        let forecast = try Self.train(archive, dir.path("F"), ["--shard", "0/2", "--model", "forecast"])
        #expect(forecast.status == 1 && forecast.stderr.contains("give one value each for cadence, period, harmonics, ridge, lags, level_rate"))
        let output = try Self.train(archive, registry, ["--shard", "0/2", "--output", dir.path("x.h5")])
        #expect(output.status == 64)
    }

    @Test func aShardedJobBacktestsAndGatesOnceAtTheMerge() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let archive = try TrainScoreCLITests.archive(dir)
        let job = try dir.write(
            "job.yaml",
            """
            name: meters-fc
            stream: meters
            archive: \(archive)
            registry: \(dir.path("Models"))
            model: forecast
            params: {period: 1d, harmonics: "3", ridge: "1e-4", lags: "0", level_rate: "0", cadence: 5m, minimum_cycles: "1"}
            window: {from: 2026-01-01, to: 2026-01-03}
            holdout: 12h
            promotion: {alias: production, min_rows: 10, coverage: [0, 1]}

            """)
        let first = try CLIRunner.run(["train", "--job", job, "--shard", "1/2", "--json"])
        #expect(first.status == 0 && jsonObject(first.stdout)["staged"] as? Bool == true, "\(first.stderr)")
        let second = try CLIRunner.run(["train", "--job", job, "--shard", "0/2", "--json"])
        #expect(second.status == 0, "\(second.stderr)")
        let j = jsonObject(second.stdout)
        #expect(j["version"] as? Int == 1 && j["promoted"] as? Bool == true && j["merged_now"] as? Bool == true)
        #expect((j["backtest"] as? [String: Double])?["mase"] != nil)
        let meta = try Registry(root: dir.path("Models")).metadata(name: "meters-fc", version: 1)
        #expect(meta.metrics["series"] == 6 && meta.provenance["shards"] == "2")
    }
}

/// Results gathered from concurrent runs.
final class LockedResults: Sendable {
    private let lock = NSLock()
    // Only touched under `lock`; `nonisolated(unsafe)` because NSLock is not visible to the checker.
    nonisolated(unsafe) private var results: [CLIRunner.Result] = []
    func add(_ r: CLIRunner.Result?) { if let r { lock.lock(); results.append(r); lock.unlock() } }
    var all: [CLIRunner.Result] { lock.lock(); defer { lock.unlock() }; return results }
}
