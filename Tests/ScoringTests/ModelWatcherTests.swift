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

    /// Serves version 1, promotes version 2 damaged by `damage` (given its model file), and lets the watcher look once.
    func promoteDamaged(_ damage: (String) throws -> Void) throws -> (ModelFixture, ModelWatcher, Int, ModelRefusal?) {
        let f = try ModelFixture()
        try f.register("meters-if", seed: 1, fields: ["kwh", "voltage"], promote: true)
        let w = try watcher(f)
        let v2 = try f.register("meters-if", seed: 2, fields: ["kwh", "voltage"], promote: false)
        try f.registry.promote(name: "meters-if", version: v2)
        try damage(try f.registry.versionDirectory(name: "meters-if", version: v2) + "/model.h5")
        let events = w.check()
        guard case .refused(let refusal)? = events.first, events.count == 1 else {
            Issue.record("expected one refusal, got \(events)")
            return (f, w, v2, nil)
        }
        return (f, w, v2, refusal)
    }

    @Test func aVersionThatFailsToLoadIsRefusedAndTheOldOneServes() throws {
        // Damage the stored file (as a bad disk or a partial copy would) before the watcher looks.
        let (_, w, v2, refusal) = try promoteDamaged { path in
            try? FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try handle.truncate(atOffset: 0)
            try handle.write(contentsOf: Data("not an HDF5 file".utf8))
            try handle.close()
        }
        #expect(refusal?.version == v2)
        #expect(served(w) == 1)
        #expect(w.check().isEmpty, "refused once, not at every look")
    }

    /// A same-size change loads without complaint (or crashes the HDF5 decoder), so the checksum must come first.
    @Test func aVersionWhoseFileNoLongerMatchesItsChecksumIsRefusedBeforeItLoads() throws {
        let (f, w, v2, refusal) = try promoteDamaged(Self.flipLastByte)
        #expect(refusal?.version == v2 && refusal?.reason.contains("sha256") == true, "\(String(describing: refusal))")
        #expect(served(w) == 1)
        // At startup the damaged production version is fatal, named.
        #expect { try watcher(f) } throws: { ($0 as? ModelRefusal)?.reason.contains("versions/\(v2)/model.h5") == true }
    }

    /// Flips one bit of the last byte, keeping the size.
    static func flipLastByte(_ path: String) throws {
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        data[data.count - 1] ^= 0x01
        try data.write(to: URL(fileURLWithPath: path))
    }
}
