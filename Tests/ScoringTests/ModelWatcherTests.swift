import Foundation
import ModelRegistry
import Scoring
import Testing

/// Promotions swap whole versions in; a version that cannot serve is refused once and the old one stays.
@Suite struct ModelWatcherTests {
    func watcher(_ f: ModelFixture) throws -> ModelWatcher {
        let config = try f.config()
        return try ModelWatcher(registry: f.registry, models: config.models, inputs: config.inputs)
    }

    func served(_ w: ModelWatcher) -> Int? { w.current.versions["meters-if"] }

    @Test func aPromotedVersionIsSwappedIn() throws {
        let f = try ModelFixture()
        try f.register("meters-if", seed: 1, fields: ["kwh", "voltage"], promote: true)
        let w = try watcher(f)
        #expect(served(w) == 1)
        #expect(w.check().isEmpty, "nothing moved")
        let v2 = try f.register("meters-if", seed: 2, fields: ["kwh", "voltage"], promote: false)
        #expect(w.check().isEmpty, "registered is not promoted")
        try f.registry.promote(name: "meters-if", version: v2)
        let events = w.check()
        guard case .reloaded(let name, let from, let to)? = events.first, events.count == 1 else {
            Issue.record("expected one reload, got \(events)")
            return
        }
        #expect(name == "meters-if" && from == 1 && to == v2)
        #expect(served(w) == v2)
        #expect(w.current.entries.first?.model.version == v2)
        _ = try f.registry.rollback(name: "meters-if")
        #expect(w.check().count == 1 && served(w) == 1, "a rollback is a swap too")
    }

    @Test func aVersionReadingFieldsTheStreamLacksIsRefusedOnce() throws {
        let f = try ModelFixture()
        try f.register("meters-if", seed: 1, fields: ["kwh", "voltage"], promote: true)
        let w = try watcher(f)
        try f.register("meters-if", seed: 3, fields: ["kwh", "current"], promote: true)
        let events = w.check()
        guard case .refused(let refusal)? = events.first, events.count == 1 else {
            Issue.record("expected one refusal, got \(events)")
            return
        }
        #expect(refusal.name == "meters-if" && refusal.version == 2 && refusal.reason.contains("current"))
        #expect(served(w) == 1, "the old version keeps serving")
        #expect(w.check().isEmpty && w.check().isEmpty, "refused once, not at every look")
        #expect(served(w) == 1)
        // A later, good promotion still gets in.
        try f.register("meters-if", seed: 4, fields: ["kwh", "voltage"], promote: true)
        #expect(w.check().count == 1 && served(w) == 3)
    }

    @Test func aVersionThatFailsToLoadIsRefusedAndTheOldOneServes() throws {
        let f = try ModelFixture()
        try f.register("meters-if", seed: 1, fields: ["kwh", "voltage"], promote: true)
        let w = try watcher(f)
        let v2 = try f.register("meters-if", seed: 2, fields: ["kwh", "voltage"], promote: false)
        try f.registry.promote(name: "meters-if", version: v2)
        // Damage the stored file (as a bad disk or a partial copy would) before the watcher looks.
        let path = try f.registry.modelPath(name: "meters-if", version: v2)
        try? FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: Data("not an HDF5 file".utf8))
        try handle.close()
        let events = w.check()
        guard case .refused(let refusal)? = events.first, events.count == 1 else {
            Issue.record("expected one refusal, got \(events)")
            return
        }
        #expect(refusal.version == v2)
        #expect(served(w) == 1)
        #expect(w.check().isEmpty, "refused once, not at every look")
    }
}
