import Foundation
import Testing

@testable import ModelRegistry

/// Writers racing on one model, each with its own `Registry` (its own lock file descriptor).
@Suite struct ConcurrencyTests {
    @Test func racingPromotesAreSerialisedAndAllRecorded() async throws {
        let fixture = try RegistryFixture()
        defer { fixture.cleanup() }
        try fixture.populate(fixture.registry(), count: 2)
        let rounds = 10
        try await withThrowingTaskGroup(of: Void.self) { group in
            for version in [1, 2] {
                let registry = fixture.registry()
                group.addTask {
                    for _ in 0..<rounds { try registry.promote(name: "meters", version: version, reason: "writer \(version)") }
                }
            }
            try await group.waitForAll()
        }
        let registry = fixture.registry()
        let promotes = try registry.history(of: "meters").filter { $0.action == .promote }
        #expect(promotes.count >= 2 && promotes.count <= 2 * rounds)
        // Serialised: each change starts where the previous one left the alias.
        for (earlier, later) in zip(promotes, promotes.dropFirst()) { #expect(later.from == earlier.to) }
        #expect(promotes.first?.from == nil)
        let final = try registry.resolve(name: "meters", alias: "production").version
        #expect([1, 2].contains(final) && promotes.last?.to == final)
        #expect(try registry.verify().isClean)
    }

    @Test func racingRegistersGetDistinctVersions() async throws {
        let fixture = try RegistryFixture()
        defer { fixture.cleanup() }
        let registrations = try (1...4).map { try fixture.registration(seed: UInt64($0)) }
        let versions = try await withThrowingTaskGroup(of: Int.self) { group in
            for r in registrations {
                let registry = fixture.registry()
                group.addTask { try registry.register(r).version }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(versions.sorted() == [1, 2, 3, 4])
        let history = try fixture.registry().history(of: "meters")
        #expect(history.compactMap(\.to) == [1, 2, 3, 4])
    }
}
