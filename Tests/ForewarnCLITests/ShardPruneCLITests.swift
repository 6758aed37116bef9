import Foundation
import ModelRegistry
import Testing

/// Cleaning up after sharded training: `models show` reports pending runs, `models prune` removes stale ones.
@Suite(.serialized) struct ShardPruneCLITests {
    static func models(_ registry: String, _ arguments: [String]) throws -> CLIRunner.Result {
        try CLIRunner.run(["models"] + arguments + ["--registry", registry])
    }

    /// Sets the modification time of a run's directory and files to `days` ago.
    static func backdate(_ directory: String, days: Double) throws {
        let when = Date().addingTimeInterval(-days * 86_400)
        for path in try FileManager.default.contentsOfDirectory(atPath: directory).map({ "\(directory)/\($0)" }) + [directory] {
            try FileManager.default.setAttributes([.modificationDate: when], ofItemAtPath: path)
        }
    }

    static func runs(_ object: Any?) -> [String] { (object as? [[String: Any]])?.compactMap { $0["run"] as? String } ?? [] }

    @Test func aCancelledRunIsPrunedAndALiveOneStillMerges() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let archive = try TrainScoreCLITests.archive(dir)
        let registry = dir.path("Models")
        let shards = "\(registry)/meters-if/.shards"
        for run in ["cancelled", "live"] {
            #expect(try ShardCLITests.train(archive, registry, ["--shard", "0/2", "--run", run]).status == 0)
        }
        try Self.backdate("\(shards)/cancelled", days: 3)

        let show = jsonObject(try Self.models(registry, ["show", "meters-if", "--json"]).stdout)
        let pending = show["pending_shard_runs"] as? [[String: Any]] ?? []
        #expect(Self.runs(pending) == ["cancelled", "live"] && show["metadata"] == nil)
        #expect(pending.first?["staged"] as? Int == 1 && pending.first?["planned"] as? Int == 2)
        #expect((pending.first?["age_seconds"] as? Int ?? 0) >= 3 * 86_400)
        let list = jsonObject(try Self.models(registry, ["list", "--json"]).stdout)
        let listed = (list["models"] as? [[String: Any]])?.first { $0["name"] as? String == "meters-if" }
        #expect(listed?["pending_shard_runs"] as? Int == 2 && (listed?["versions"] as? [Int]) == [])
        #expect(try Self.models(registry, ["list"]).stdout.contains("meters-if  0         -       2"))
        let text = try Self.models(registry, ["show", "meters-if"])
        #expect(text.status == 0 && text.stdout.contains("shard run cancelled  pending: 1 of 2 shards staged, idle 3d 0h"))

        let prune = try Self.models(registry, ["prune", "meters-if", "--shard-runs-older-than", "1d", "--json"])
        #expect(prune.status == 0, "\(prune.stderr)")
        let j = jsonObject(prune.stdout)
        #expect(Self.runs(j["shard_runs_removed"]) == ["cancelled"] && Self.runs(j["shard_runs_kept"]) == ["live"])
        #expect((j["shard_runs_kept"] as? [[String: Any]])?.first?["kept_because"] as? String == "staged something within 1d")
        #expect(j["removed"] == nil && !FileManager.default.fileExists(atPath: "\(shards)/cancelled"))
        let history = jsonObject(try Self.models(registry, ["history", "meters-if", "--json"]).stdout)
        let line = (history["entries"] as? [[String: Any]])?.last
        #expect(line?["action"] as? String == "prune" && line?["shard_run"] as? String == "cancelled")

        let last = jsonObject(try ShardCLITests.train(archive, registry, ["--shard", "1/2", "--run", "live"]).stdout)
        #expect(last["merged_now"] as? Bool == true && last["version"] as? Int == 1)
        try Self.backdate("\(shards)/live", days: 30)
        let again = try Self.models(registry, ["prune", "meters-if", "--shard-runs-older-than", "1d"])
        #expect(again.stdout == "meters-if: no unmerged shard runs\nmeters-if: kept 1 merged shard run(s): a retried shard must find its run\n")
        let retried = jsonObject(try ShardCLITests.train(archive, registry, ["--shard", "0/2", "--run", "live"]).stdout)
        #expect(retried["merged_now"] as? Bool == false && retried["version"] as? Int == 1)
        #expect(try Registry(root: registry).versions(of: "meters-if") == [1])
        let after = jsonObject(try Self.models(registry, ["show", "meters-if", "--json"]).stdout)
        #expect(Self.runs(after["pending_shard_runs"]).isEmpty && after["metadata"] != nil)
        let merged = jsonObject(try Self.models(registry, ["list", "--json"]).stdout)["models"] as? [[String: Any]]
        #expect(merged?.first?["pending_shard_runs"] as? Int == 0 && (merged?.first?["versions"] as? [Int]) == [1])
    }

    @Test func pruneSaysWhatItNeeds() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let root = try ModelsCLITests.registry(dir, count: 2)
        let neither = try Self.models(root, ["prune", "meters"])
        #expect(neither.status == 64 && neither.stderr.contains("nothing to prune: give --keep N (versions)"))
        for bad in ["3", "7x", "0s", "1d2"] {
            let r = try Self.models(root, ["prune", "meters", "--shard-runs-older-than", bad])
            #expect(r.status == 64 && r.stderr.contains("--shard-runs-older-than '\(bad)' is not a duration"), "\(bad)")
        }
        let both = try Self.models(root, ["prune", "meters", "--keep", "1", "--shard-runs-older-than", "12h"])
        #expect(both.status == 0 && both.stdout == "meters: removed none; kept v1 v2\nmeters: no unmerged shard runs\n", "\(both.stderr)")
    }
}
