import Foundation
import Testing

@testable import ModelRegistry

@Suite struct PruneTests {
    @Test func pruneKeepsTheNewestAndEveryAliasedVersion() throws {
        let fixture = try RegistryFixture()
        defer { fixture.cleanup() }
        let registry = fixture.registry()
        try fixture.populate(registry, count: 5)
        try registry.promote(name: "meters", version: 2)
        try registry.promote(name: "meters", version: 3, alias: "candidate")
        #expect(try registry.prune(name: "meters", keep: 1, reason: "disk") == [1, 4])
        #expect(try registry.versions(of: "meters") == [2, 3, 5])
        let prunes = try registry.history(of: "meters").filter { $0.action == .prune }
        #expect(prunes.map(\.from) == [1, 4] && prunes.allSatisfy { $0.reason == "disk" })
        #expect(try registry.verify().isClean)
        #expect(try registry.prune(name: "meters", keep: 1) == [])
        // Numbers are never reused.
        #expect(try registry.register(fixture.registration(seed: 9)).version == 6)
    }

    @Test func anAliasCannotPointToAPrunedVersion() throws {
        let fixture = try RegistryFixture()
        defer { fixture.cleanup() }
        let registry = fixture.registry()
        try fixture.populate(registry, count: 3)
        try registry.promote(name: "meters", version: 1)
        try registry.promote(name: "meters", version: 3)
        #expect(try registry.prune(name: "meters", keep: 1) == [1, 2])
        #expect(throws: RegistryError.unknownVersion(name: "meters", version: 1, known: [3])) {
            try registry.promote(name: "meters", version: 1, alias: "candidate")
        }
        #expect(throws: RegistryError.noRollbackTarget(name: "meters", alias: "production", reason: "its earlier target, version 1, was pruned")) {
            try registry.rollback(name: "meters")
        }
        #expect(try registry.aliases(of: "meters") == ["production": 3])
    }

    @Test func keepMustBePositive() throws {
        let fixture = try RegistryFixture()
        defer { fixture.cleanup() }
        let registry = fixture.registry()
        try fixture.populate(registry, count: 1)
        #expect(throws: RegistryError.self) { try registry.prune(name: "meters", keep: 0) }
        #expect(try registry.versions(of: "meters") == [1])
    }
}
