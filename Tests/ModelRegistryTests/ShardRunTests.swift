import Foundation
import Testing

@testable import ModelRegistry

/// The staging directory of sharded training runs.
struct ShardRunTests {
    @Test func aRunRegistersUnderItsOwnLockAndIsFoundByItsProvenance() throws {
        let f = try RegistryFixture()
        defer { f.cleanup() }
        let registry = f.registry()
        var r = try f.registration()
        r.provenance = ["shard_run": "nightly-1"]
        let version = try registry.withShardRun(name: "meters", run: "nightly-1") { run -> Int in
            try run.write(Data("{}".utf8), to: "plan.json")
            #expect(run.read("plan.json") == Data("{}".utf8))
            #expect(run.directory.hasSuffix("/meters/.shards/nightly-1"))
            return try run.register(r, promoteTo: "production", reason: nil).version
        }
        #expect(version == 1)
        #expect(try registry.resolve(name: "meters", alias: "production").version == 1)
        #expect(registry.version(name: "meters", provenance: "shard_run", is: "nightly-1") == 1)
        #expect(registry.version(name: "meters", provenance: "shard_run", is: "nightly-2") == nil)
        #expect(try registry.versions(of: "meters") == [1], "the staging directory is not a version")
        #expect(try registry.problems(name: "meters", version: 1).isEmpty)
    }

    @Test func runNamesAreRegistryNames() throws {
        let f = try RegistryFixture()
        defer { f.cleanup() }
        #expect(throws: RegistryError.self) { try f.registry().withShardRun(name: "meters", run: "../x") { _ in } }
    }
}
