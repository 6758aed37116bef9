import Foundation
import Testing

@testable import ModelRegistry

/// Registering, reading, promoting and rolling back.
@Suite struct RegistryTests {
    @Test func registerWritesAnImmutableNumberedVersion() throws {
        let fixture = try RegistryFixture()
        defer { fixture.cleanup() }
        let registry = fixture.registry()
        var r = try fixture.registration()
        let report = fixture.path("report.html")
        try Data("<html>ok</html>".utf8).write(to: URL(fileURLWithPath: report))
        r.reportFile = report
        let meta = try registry.register(r, reason: "nightly")
        #expect(meta.version == 1 && meta.name == "meters" && meta.modelKind == "isolation-forest")
        #expect(meta.createdBy == "tester" && meta.rowCount == 40 && meta.metrics["auc"] == 0.91)
        #expect(Set(meta.files.keys) == ["model.h5", "report.html"])
        #expect(meta.files["model.h5"]?.sha256 == (try SHA256.hex(ofFile: r.modelFile)))

        let dir = "\(fixture.root)/meters/versions/1"
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: dir)) == ["model.h5", "meta.json", "report.html"])
        #expect(try registry.metadata(name: "meters", version: 1) == meta)
        #expect(try registry.register(fixture.registration(seed: 2)).version == 2)
        #expect(registry.names() == ["meters"])
        #expect(try registry.versions(of: "meters") == [1, 2])

        let history = try registry.history(of: "meters")
        #expect(history.map(\.action) == [.register, .register])
        #expect(history[0].to == 1 && history[0].reason == "nightly" && history[0].user == "tester")
        #expect(history[0].metaSHA256 == (try SHA256.hex(ofFile: "\(dir)/meta.json")))
        #expect(try registry.verify().isClean)
    }

    @Test func promoteResolveAndNoticeChanges() throws {
        let fixture = try RegistryFixture()
        defer { fixture.cleanup() }
        let registry = fixture.registry()
        try fixture.populate(registry, count: 2)
        let first = try registry.promote(name: "meters", version: 1, reason: "first")
        #expect(first == AliasChange(name: "meters", alias: "production", from: nil, to: 1, changed: true))
        let resolved = try registry.resolve(name: "meters", alias: "production")
        #expect(resolved.version == 1)
        #expect(try registry.verifiedModelPath(name: "meters", version: 1) == "\(fixture.root)/meters/versions/1/model.h5")
        #expect(registry.aliasStamp(name: "meters", alias: "production") == resolved.stamp)

        #expect(try registry.promote(name: "meters", version: 2).from == 1)
        #expect(registry.aliasStamp(name: "meters", alias: "production") != resolved.stamp)
        #expect(try registry.resolve(name: "meters", alias: "production").version == 2)
        #expect(try registry.promote(name: "meters", version: 2).changed == false)
        #expect(try registry.aliases(of: "meters") == ["production": 2])
        #expect(try registry.history(of: "meters").filter { $0.action == .promote }.count == 2)
    }

    @Test func rollbackWalksBackThroughPromotions() throws {
        let fixture = try RegistryFixture()
        defer { fixture.cleanup() }
        let registry = fixture.registry()
        try fixture.populate(registry, count: 3)
        for v in 1...3 { try registry.promote(name: "meters", version: v) }
        #expect(try registry.rollback(name: "meters").to == 2)
        #expect(try registry.rollback(name: "meters").to == 1)
        #expect(throws: RegistryError.self) { try registry.rollback(name: "meters") }
        #expect(try registry.rollback(name: "meters", to: 3, reason: "hotfix").to == 3)
        #expect(try registry.rollback(name: "meters").to == 1)
        let last = try #require(try registry.history(of: "meters").last)
        #expect(last.action == .rollback && last.from == 3 && last.to == 1)
    }

    @Test func aliasesAreIndependent() throws {
        let fixture = try RegistryFixture()
        defer { fixture.cleanup() }
        let registry = fixture.registry()
        try fixture.populate(registry, count: 2)
        try registry.promote(name: "meters", version: 1)
        try registry.promote(name: "meters", version: 2, alias: "candidate")
        #expect(try registry.aliases(of: "meters") == ["production": 1, "candidate": 2])
        #expect(throws: RegistryError.noRollbackTarget(name: "meters", alias: "candidate", reason: "history records no earlier target")) {
            try registry.rollback(name: "meters", alias: "candidate")
        }
    }

    @Test(arguments: ["", "../etc", "a/b", ".hidden", "-rf", "x y", "x;rm", "naïve", String(repeating: "a", count: 65)])
    func unsafeNamesAreRefused(name: String) throws {
        let fixture = try RegistryFixture()
        defer { fixture.cleanup() }
        let registry = fixture.registry()
        #expect {
            try registry.register(try fixture.registration(name))
        } throws: { error in
            guard case .invalidName(let what, _, _) = error as? RegistryError else { return false }
            return what == "model name"
        }
        try fixture.populate(registry, count: 1)
        #expect(throws: RegistryError.self) { try registry.promote(name: "meters", version: 1, alias: name) }
        #expect(!FileManager.default.fileExists(atPath: "\(fixture.root)/meters/aliases"))
    }

    @Test func missingModelsVersionsAndAliasesAreNamed() throws {
        let fixture = try RegistryFixture()
        defer { fixture.cleanup() }
        let registry = fixture.registry()
        #expect(throws: RegistryError.unknownModel(name: "meters", known: [])) { try registry.versions(of: "meters") }
        try fixture.populate(registry, count: 2)
        #expect(throws: RegistryError.unknownVersion(name: "meters", version: 7, known: [1, 2])) {
            try registry.promote(name: "meters", version: 7)
        }
        #expect(throws: RegistryError.unknownAlias(name: "meters", alias: "production", known: [])) {
            try registry.resolve(name: "meters", alias: "production")
        }
        #expect(throws: RegistryError.unknownAlias(name: "meters", alias: "production", known: [])) {
            try registry.rollback(name: "meters")
        }
    }

    @Test func badRegistrationsChangeNothing() throws {
        let fixture = try RegistryFixture()
        defer { fixture.cleanup() }
        let registry = fixture.registry()
        var r = try fixture.registration()
        r.metrics["auc"] = .nan
        #expect(throws: RegistryError.self) { try registry.register(r) }
        r = try fixture.registration()
        r.modelFile = fixture.path("absent.h5")
        #expect(throws: RegistryError.self) { try registry.register(r) }
        r = try fixture.registration()
        try fixture.truncate(r.modelFile)
        #expect {
            try registry.register(r)
        } throws: { error in
            guard case .damaged(let problems) = error as? RegistryError else { return false }
            return problems.first?.file == r.modelFile
        }
        #expect(try registry.versions(of: "meters").isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(fixture.root)/meters/versions").isEmpty)
    }

    @Test func loadersDispatchOnTheModelKind() throws {
        let fixture = try RegistryFixture()
        defer { fixture.cleanup() }
        let toy = try fixture.foreignKindFile(kind: "toy-forecaster")
        let standard = fixture.registry()
        #expect {
            try standard.register(ModelRegistration(name: "toy", modelFile: toy, forewarnVersion: "0.1.0"))
        } throws: { error in
            "\(error)".contains("no loader for model kind 'toy-forecaster'")
        }
        var extended = fixture.registry()
        extended.loaders.register(kind: "toy-forecaster") { path in
            guard FileManager.default.fileExists(atPath: path) else { throw RegistryError.io(path: path, reason: "gone") }
        }
        let meta = try extended.register(ModelRegistration(name: "toy", modelFile: toy, forewarnVersion: "0.1.0"))
        #expect(meta.modelKind == "toy-forecaster")
        #expect(try extended.verify(name: "toy").isClean)
        #expect(try standard.verify(name: "toy").problems.first?.reason.contains("no loader") == true)
    }

    /// A name keeps its kind: a forest under a forecaster's name is refused by name and the registry is unchanged.
    @Test func aModelNameKeepsItsKind() throws {
        let fixture = try RegistryFixture()
        defer { fixture.cleanup() }
        var registry = fixture.registry()
        registry.loaders.register(kind: "toy-forecaster") { _ in }
        #expect(registry.kind(of: "meters") == nil)
        try registry.register(ModelRegistration(name: "meters", modelFile: try fixture.foreignKindFile(kind: "toy-forecaster"), forewarnVersion: "0.1.0"), promoteTo: "production")
        #expect(registry.kind(of: "meters") == "toy-forecaster")
        let history = try registry.history(of: "meters")
        let error = #expect(throws: RegistryError.self) { try registry.register(try fixture.registration("meters"), promoteTo: "production") }
        guard case .kindChange(let name, let kind, let versions, let given) = error else {
            Issue.record("expected a kind change, got \(String(describing: error))")
            return
        }
        #expect(name == "meters" && kind == "toy-forecaster" && versions == [1] && given == "isolation-forest")
        #expect("\(error!)".contains("model 'meters' is of kind toy-forecaster (version 1), this model is of kind isolation-forest"))
        #expect(try registry.versions(of: "meters") == [1])
        #expect(try registry.history(of: "meters") == history)
        #expect(try registry.resolve(name: "meters", alias: "production").version == 1)
        #expect(throws: RegistryError.self) { try registry.checkKind("isolation-forest", for: "meters") }
        try registry.checkKind("toy-forecaster", for: "meters")
        try registry.checkKind("isolation-forest", for: "a-new-name")
        // Another name takes the other kind.
        #expect(try registry.register(try fixture.registration("meters-if")).version == 1)
    }

    /// Promotion compares what the alias's scorers read: another stream or other fields are refused unless forced.
    @Test func promotionRefusesAnotherShapeUnlessForced() throws {
        let fixture = try RegistryFixture()
        defer { fixture.cleanup() }
        let registry = fixture.registry()
        func version(_ seed: UInt64, stream: String, fields: String?) throws {
            var r = try fixture.registration("meters", seed: seed)
            r.provenance = ["stream": stream]
            if let fields { r.provenance["fields"] = fields }
            try registry.register(r)
        }
        try version(1, stream: "meters", fields: "kwh,voltage")
        try version(2, stream: "taxi", fields: "fare")
        try version(3, stream: "meters", fields: "kwh")
        try version(4, stream: "meters", fields: nil)
        try version(5, stream: "meters", fields: "kwh,voltage")
        try registry.promote(name: "meters", version: 1)
        for (target, says) in [(2, "stream 'meters' against 'taxi'"), (3, "fields kwh, voltage against kwh")] {
            let error = #expect(throws: RegistryError.self) { try registry.promote(name: "meters", version: target) }
            #expect("\(error.map { "\($0)" } ?? "")".contains(says), "\(target)")
            #expect(try registry.resolve(name: "meters", alias: "production").version == 1)
        }
        let error = #expect(throws: RegistryError.self) { try registry.promote(name: "meters", version: 2) }
        #expect("\(error!)".contains("meters version 2 reads another shape than version 1, which production points at"))
        #expect(try registry.promote(name: "meters", version: 5).to == 5, "same shape")
        #expect(try registry.promote(name: "meters", version: 4).to == 4, "a version that does not record its fields compares on its stream")
        #expect(try registry.promote(name: "meters", version: 2, force: true).to == 2)
        #expect(try registry.promote(name: "meters", version: 3, alias: "candidate").to == 3, "a new alias has nothing to compare with")
        #expect(try registry.history(of: "meters").filter { $0.action == .promote }.count == 5, "refusals leave no history")
    }

    /// Registering with an alias to move (`train --promote`) checks the shape as `promote` does: the version
    /// is registered, the alias stays, and the error says which version it is; `force` moves it.
    @Test func registeringOntoAnAliasOfAnotherShapeRegistersButLeavesTheAlias() throws {
        let fixture = try RegistryFixture()
        defer { fixture.cleanup() }
        let registry = fixture.registry()
        func registration(_ seed: UInt64, fields: String) throws -> ModelRegistration {
            var r = try fixture.registration("meters", seed: seed)
            r.provenance = ["stream": "meters", "fields": fields]
            return r
        }
        try registry.register(try registration(1, fields: "kwh,voltage"), promoteTo: "production")
        let error = #expect(throws: RegistryError.self) {
            try registry.register(try registration(2, fields: "kwh"), promoteTo: "production")
        }
        var refusal: (version: Int, alias: String, from: Int, differences: [String])?
        if case .registeredNotPromoted(_, let version, let alias, let from, let differences) = error { refusal = (version, alias, from, differences) }
        #expect(refusal?.version == 2 && refusal?.alias == "production" && refusal?.from == 1)
        #expect(refusal?.differences == ["fields kwh, voltage against kwh"])
        #expect("\(error!)".contains("registered meters version 2 but left production at version 1"))
        #expect(try registry.versions(of: "meters") == [1, 2])
        #expect(try registry.resolve(name: "meters", alias: "production").version == 1)
        try registry.register(try registration(3, fields: "kwh,voltage"), promoteTo: "production")
        #expect(try registry.resolve(name: "meters", alias: "production").version == 3, "same shape moves")
        try registry.register(try registration(4, fields: "kwh"), promoteTo: "production", force: true)
        #expect(try registry.resolve(name: "meters", alias: "production").version == 4)
    }
}
