import Foundation
import Testing

@testable import ModelRegistry

/// `Registry.pruneShardRuns`: stale unmerged runs go, under the model's lock, recorded in history.
@Suite struct ShardRunPruneTests {
    /// Stages `files` in run `run` of "meters", each last modified `age` seconds ago.
    static func stage(_ registry: Registry, _ run: String, files: [String] = ["plan.json"], age: TimeInterval) throws {
        let directory = try registry.withShardRun(name: "meters", run: run) { staging -> String in
            for file in files { try staging.write(Data("{}".utf8), to: file) }
            return staging.directory
        }
        try backdate(directory, by: age)
    }

    static func backdate(_ directory: String, by age: TimeInterval) throws {
        let when = Date().addingTimeInterval(-age)
        for path in try FileManager.default.contentsOfDirectory(atPath: directory).map({ "\(directory)/\($0)" }) + [directory] {
            try FileManager.default.setAttributes([.modificationDate: when], ofItemAtPath: path)
        }
    }

    /// Holds run `run`'s lock for `body` while `other` starts on another thread
    /// (`done` is signalled when it ends); returns once `other` has ended.
    static func holding(
        _ registry: Registry, _ run: String, while other: @escaping @Sendable () -> Void,
        _ body: (ShardRun, DispatchSemaphore) throws -> Void
    ) throws {
        let started = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
        try registry.withShardRun(name: "meters", run: run) { staging in
            DispatchQueue.global().async {
                started.signal()
                other()
                done.signal()
            }
            started.wait()
            try body(staging, done)
        }
        done.wait()
    }

    static func merged(_ state: ShardRunState) -> String? { state.files.contains("merged.json") ? "merged" : nil }

    @Test func aStaleRunGoesAndFreshOrMergedRunsStay() throws {
        let fixture = try RegistryFixture()
        defer { fixture.cleanup() }
        let registry = fixture.registry()
        try fixture.populate(registry, count: 2)
        try Self.stage(registry, "cancelled", files: ["plan.json", "shard-0.json"], age: 3 * 86_400)
        try Self.stage(registry, "tonight", age: 3_600)
        try Self.stage(registry, "done", files: ["plan.json", "merged.json"], age: 30 * 86_400)
        #expect(try registry.shardRuns(of: "meters").map(\.run) == ["cancelled", "done", "tonight"])
        let decisions = try registry.pruneShardRuns(name: "meters", olderThan: 86_400, reason: "job cancelled", keep: Self.merged)
        #expect(decisions.map(\.state.run) == ["cancelled", "done", "tonight"])
        #expect(decisions.map(\.removed) == [true, false, false])
        #expect(decisions.map(\.keptBecause) == [nil, "merged", nil])
        #expect(try registry.shardRuns(of: "meters").map(\.run) == ["done", "tonight"])
        let line = try #require(try registry.history(of: "meters").last)
        #expect(line.action == .prune && line.shardRun == "cancelled" && line.from == nil && line.reason == "job cancelled")
        #expect(try registry.versions(of: "meters") == [1, 2] && registry.verify().isClean)
        #expect(try registry.register(fixture.registration(seed: 3)).version == 3)
    }

    @Test func aModelWithOnlyShardRunsCanBePrunedAndItsHistoryRead() throws {
        let fixture = try RegistryFixture()
        defer { fixture.cleanup() }
        let registry = fixture.registry()
        try Self.stage(registry, "first", age: 7_200)
        let decisions = try registry.pruneShardRuns(name: "meters", olderThan: 3_600, keep: Self.merged)
        #expect(decisions.map(\.removed) == [true])
        #expect(try registry.history(of: "meters").map(\.shardRun) == ["first"])
        #expect(throws: RegistryError.unknownModel(name: "gauges", known: [])) {
            try registry.pruneShardRuns(name: "gauges", olderThan: 3_600, keep: Self.merged)
        }
        #expect(throws: RegistryError.self) { try registry.pruneShardRuns(name: "meters", olderThan: 0, keep: Self.merged) }
    }

    /// The run is stale when prune starts; while prune waits for the lock, the
    /// holder stages a file. Prune must then find the run fresh and keep it.
    @Test func pruneWaitsForTheLockAndJudgesTheRunUnderIt() throws {
        let fixture = try RegistryFixture()
        defer { fixture.cleanup() }
        let registry = fixture.registry()
        try Self.stage(registry, "slow", age: 7_200)
        try Self.holding(registry, "slow", while: { _ = try? registry.pruneShardRuns(name: "meters", olderThan: 3_600) { _ in nil } }) {
            staging, done in
            let waited = done.wait(timeout: .now() + 0.5)
            if waited == .success { done.signal() }
            #expect(waited == .timedOut, "prune did not wait for the lock")
            #expect(FileManager.default.fileExists(atPath: staging.directory))
            try staging.write(Data("{}".utf8), to: "shard-1.json")
        }
        #expect(try registry.shardRuns(of: "meters").map(\.files) == [["plan.json", "shard-1.json"]])
        #expect(try registry.history(of: "meters").isEmpty)
    }

    /// A shard that found its run's directory, then waited for the lock while
    /// a prune removed the run, stages into a new directory instead of failing.
    @Test func aShardWaitingForTheLockSurvivesAPruneOfItsRun() throws {
        let fixture = try RegistryFixture()
        defer { fixture.cleanup() }
        let registry = fixture.registry()
        try Self.stage(registry, "again", age: 7_200)
        let shard: @Sendable () -> Void = {
            try? registry.withShardRun(name: "meters", run: "again") { try $0.write(Data("{}".utf8), to: "shard-0.json") }
        }
        try Self.holding(registry, "again", while: shard) { staging, _ in
            Thread.sleep(forTimeInterval: 0.5)
            try FileManager.default.removeItem(atPath: staging.directory)
        }
        #expect(try registry.shardRuns(of: "meters").map(\.files) == [["shard-0.json"]])
    }

    @Test func aPruneCrashingAfterRetiringARunIsRecordedByTheNextWriter() throws {
        let fixture = try RegistryFixture()
        defer { fixture.cleanup() }
        let registry = fixture.registry()
        try fixture.populate(registry, count: 1)
        try Self.stage(registry, "gone", age: 7_200)
        var crashing = registry
        crashing.faultHook = { if $0 == .shardRunRetired { throw SimulatedCrash() } }
        #expect(throws: SimulatedCrash.self) { try crashing.pruneShardRuns(name: "meters", olderThan: 3_600, keep: Self.merged) }
        #expect(try registry.shardRuns(of: "meters").isEmpty)
        #expect(try registry.history(of: "meters").allSatisfy { $0.shardRun == nil })
        try registry.promote(name: "meters", version: 1)
        let runs = try registry.history(of: "meters").compactMap(\.shardRun)
        #expect(runs == ["gone"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(fixture.root)/meters/.shards").isEmpty)
        try registry.promote(name: "meters", version: 1, alias: "candidate")
        #expect(try registry.history(of: "meters").compactMap(\.shardRun) == ["gone"], "recorded once")
    }
}
