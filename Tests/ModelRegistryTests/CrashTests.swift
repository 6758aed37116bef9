import Foundation
import Testing

@testable import ModelRegistry

/// A writer killed between any two steps leaves a registry that readers see
/// as consistent, and that the next writer completes.
@Suite struct CrashTests {
    /// Readers' view after a crash: every listed version is intact and every alias resolves.
    static func expectConsistent(_ fixture: RegistryFixture) throws {
        let fresh = fixture.registry()
        #expect(try fresh.verify().problems == [])
        for (alias, version) in try fresh.aliases(of: "meters") {
            #expect(try fresh.resolve(name: "meters", alias: alias).version == version)
        }
    }

    /// After the next mutation, history accounts for every version and alias on disk, and no scratch is left.
    static func expectHistoryComplete(_ fixture: RegistryFixture) throws {
        let registry = fixture.registry()
        let history = try registry.history(of: "meters")
        let registered = Set(history.filter { $0.action == .register }.compactMap(\.to))
        let pruned = Set(history.filter { $0.action == .prune }.compactMap(\.from))
        #expect(registered.subtracting(pruned) == Set(try registry.versions(of: "meters")))
        for (alias, version) in try registry.aliases(of: "meters") {
            #expect(history.last { $0.alias == alias }?.to == version)
        }
        let scratch = try FileManager.default.contentsOfDirectory(atPath: "\(fixture.root)/meters/versions")
            + ((try? FileManager.default.contentsOfDirectory(atPath: "\(fixture.root)/meters/aliases")) ?? [])
        #expect(scratch.allSatisfy { !$0.contains(".") })
    }

    static func crashing(at point: FaultPoint, _ fixture: RegistryFixture) -> Registry {
        var registry = fixture.registry()
        registry.faultHook = { if $0 == point { throw SimulatedCrash() } }
        return registry
    }

    @Test(arguments: [FaultPoint.versionStaged, .versionPublished, .registerRecorded, .aliasWritten])
    func crashDuringRegisterAndPromote(at point: FaultPoint) throws {
        let fixture = try RegistryFixture()
        defer { fixture.cleanup() }
        let registry = fixture.registry()
        try registry.register(try fixture.registration(seed: 1), promoteTo: "production")
        #expect(throws: SimulatedCrash.self) {
            try Self.crashing(at: point, fixture).register(try fixture.registration(seed: 2), promoteTo: "production")
        }
        try Self.expectConsistent(fixture)
        let production = try registry.resolve(name: "meters", alias: "production").version
        #expect(production == (point == .aliasWritten ? 2 : 1))
        #expect(try registry.versions(of: "meters") == (point == .versionStaged ? [1] : [1, 2]))

        let next = try registry.register(try fixture.registration(seed: 3))
        #expect(next.version == (point == .versionStaged ? 2 : 3))
        try Self.expectHistoryComplete(fixture)
        try Self.expectConsistent(fixture)
    }

    @Test func crashAfterAnAliasIsWrittenDuringRollback() throws {
        let fixture = try RegistryFixture()
        defer { fixture.cleanup() }
        let registry = fixture.registry()
        try fixture.populate(registry, count: 2)
        try registry.promote(name: "meters", version: 1)
        try registry.promote(name: "meters", version: 2)
        #expect(throws: SimulatedCrash.self) { try Self.crashing(at: .aliasWritten, fixture).rollback(name: "meters") }
        try Self.expectConsistent(fixture)
        #expect(try registry.resolve(name: "meters", alias: "production").version == 1)
        try registry.promote(name: "meters", version: 1, alias: "candidate")
        try Self.expectHistoryComplete(fixture)
        let recovered = try #require(try registry.history(of: "meters").last { $0.alias == "production" })
        #expect(recovered.action == .rollback && recovered.from == 2 && recovered.to == 1)
        #expect(recovered.reason?.hasPrefix("recovered") == true)
    }

    @Test func crashWhilePruning() throws {
        let fixture = try RegistryFixture()
        defer { fixture.cleanup() }
        let registry = fixture.registry()
        try fixture.populate(registry, count: 3)
        #expect(throws: SimulatedCrash.self) {
            try Self.crashing(at: .versionRetired, fixture).prune(name: "meters", keep: 1)
        }
        try Self.expectConsistent(fixture)
        #expect(try registry.versions(of: "meters") == [2, 3])
        #expect(try registry.prune(name: "meters", keep: 1) == [2])
        try Self.expectHistoryComplete(fixture)
        #expect(try registry.history(of: "meters").filter { $0.action == .prune }.compactMap(\.from) == [1, 2])
    }

    @Test func tornHistoryLineIsIgnoredByReadersAndCutByTheNextWriter() throws {
        let fixture = try RegistryFixture()
        defer { fixture.cleanup() }
        let registry = fixture.registry()
        try fixture.populate(registry, count: 2)
        let path = "\(fixture.root)/meters/history.jsonl"
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"action\":\"prom".utf8))
        try handle.close()
        #expect(try registry.history(of: "meters").count == 2)
        #expect(try registry.verify().isClean)
        try registry.promote(name: "meters", version: 2)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3 && !lines.contains { $0.contains("\"prom\"") || $0.hasSuffix("prom") })
    }

    @Test func leftoverScratchIsInvisibleToReadersAndRemovedByTheNextWriter() throws {
        let fixture = try RegistryFixture()
        defer { fixture.cleanup() }
        let registry = fixture.registry()
        try fixture.populate(registry, count: 1)
        let stray = "\(fixture.root)/meters/versions/.tmp-999-2"
        try FileManager.default.createDirectory(atPath: stray, withIntermediateDirectories: true)
        try Data("half".utf8).write(to: URL(fileURLWithPath: "\(stray)/model.h5"))
        #expect(try registry.versions(of: "meters") == [1])
        #expect(try registry.verify().isClean)
        try registry.promote(name: "meters", version: 1)
        #expect(!FileManager.default.fileExists(atPath: stray))
    }
}
