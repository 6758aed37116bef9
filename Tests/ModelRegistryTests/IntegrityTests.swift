import Foundation
import Testing

@testable import ModelRegistry

/// Damaged versions: verify names the culprit, promote refuses, aliases keep their target.
@Suite struct IntegrityTests {
    /// Two registered versions, production on version 1.
    static func promotedPair(_ fixture: RegistryFixture) throws -> Registry {
        let registry = fixture.registry()
        try fixture.populate(registry, count: 2)
        try registry.promote(name: "meters", version: 1)
        return registry
    }

    static func modelPath(_ fixture: RegistryFixture, _ version: Int) -> String {
        "\(fixture.root)/meters/versions/\(version)/model.h5"
    }

    @Test func truncatedModelIsNamedAndRefused() throws {
        let fixture = try RegistryFixture()
        defer { fixture.cleanup() }
        let registry = try Self.promotedPair(fixture)
        try fixture.truncate(Self.modelPath(fixture, 2))
        let report = try registry.verify()
        #expect(report.problems.count == 1)
        #expect(report.problems.first?.version == 2 && report.problems.first?.file == "versions/2/model.h5")
        #expect(report.problems.first?.reason.contains("truncated") == true)
        #expect(throws: RegistryError.damaged(report.problems)) { try registry.promote(name: "meters", version: 2) }
        #expect(try registry.resolve(name: "meters", alias: "production").version == 1)
        #expect(try registry.history(of: "meters").filter { $0.action == .promote }.count == 1)
    }

    @Test func sameSizeTamperingIsCaughtByTheChecksum() throws {
        let fixture = try RegistryFixture()
        defer { fixture.cleanup() }
        let registry = try Self.promotedPair(fixture)
        try fixture.flipByte(Self.modelPath(fixture, 2))
        let problems = try registry.verify(name: "meters").problems
        #expect(problems.map(\.file) == ["versions/2/model.h5"])
        #expect(problems.first?.reason.contains("sha256") == true)
        #expect(throws: RegistryError.self) { try registry.promote(name: "meters", version: 2) }
        #expect(try registry.aliases(of: "meters") == ["production": 1])
    }

    @Test func theModelFileIsHandedOutOnlyWhenItMatchesItsChecksum() throws {
        let fixture = try RegistryFixture()
        defer { fixture.cleanup() }
        let registry = try Self.promotedPair(fixture)
        #expect(try registry.verifiedModelPath(name: "meters", version: 2) == Self.modelPath(fixture, 2))
        try fixture.flipByte(Self.modelPath(fixture, 2))
        #expect {
            try registry.verifiedModelPath(name: "meters", version: 2)
        } throws: { error in
            guard case .damaged(let problems) = error as? RegistryError else { return false }
            return problems.map(\.file) == ["versions/2/model.h5"] && problems[0].reason.contains("sha256")
        }
        #expect(throws: RegistryError.unknownVersion(name: "meters", version: 3, known: [1, 2])) {
            try registry.verifiedModelPath(name: "meters", version: 3)
        }
        #expect(try registry.problems(name: "meters", version: 2).count == 1, "models show's view: the same problem")
    }

    @Test func editedMetadataIsCaughtByHistory() throws {
        let fixture = try RegistryFixture()
        defer { fixture.cleanup() }
        let registry = try Self.promotedPair(fixture)
        let metaPath = "\(fixture.root)/meters/versions/2/meta.json"
        let text = try String(contentsOfFile: metaPath, encoding: .utf8)
        try text.replacingOccurrences(of: "\"row_count\" : 40", with: "\"row_count\" : 41")
            .write(toFile: metaPath, atomically: true, encoding: .utf8)
        let problems = try registry.verify().problems
        #expect(problems.map(\.file) == ["versions/2/meta.json"])
        #expect(problems.first?.reason.contains("history recorded") == true)
    }

    @Test func missingExtraAndUnreadableFilesAreEachNamed() throws {
        let fixture = try RegistryFixture()
        defer { fixture.cleanup() }
        let registry = try Self.promotedPair(fixture)
        try FileManager.default.removeItem(atPath: Self.modelPath(fixture, 2))
        try Data("x".utf8).write(to: URL(fileURLWithPath: "\(fixture.root)/meters/versions/1/notes.txt"))
        try Data("{".utf8).write(to: URL(fileURLWithPath: "\(fixture.root)/meters/aliases/candidate"))
        let problems = try registry.verify().problems
        #expect(problems.map(\.description).sorted() == [
            "meters (aliases/candidate): does not hold a version number",
            "meters v1 (versions/1/notes.txt): not listed in meta.json",
            "meters v2 (versions/2/model.h5): missing",
        ])
    }

    @Test func aVersionDeletedBehindTheRegistrysBackIsAMissingVersion() throws {
        let fixture = try RegistryFixture()
        defer { fixture.cleanup() }
        let registry = try Self.promotedPair(fixture)
        try FileManager.default.removeItem(atPath: "\(fixture.root)/meters/versions/1")
        #expect(try registry.verify().problems.map(\.reason) == ["points to version 1, which does not exist"])
        #expect(throws: RegistryError.unknownVersion(name: "meters", version: 1, known: [2])) {
            try registry.metadata(name: "meters", version: 1)
        }
    }
}
