import Foundation
import Basics
import ConfigFiles
import Testing

/// A training job in the shape of `JobSpec`: nested sections, snake_case keys,
/// a duration, optional members. This is how JobSpec is meant to be parsed.
private struct Job: Decodable, Equatable {
    struct Window: Decodable, Equatable {
        var last: TimeSpan?
        var from: String?
    }
    struct Promotion: Decodable, Equatable {
        var alias: String?
        var minRows: Int?
        var coverage: [Double]?
        enum CodingKeys: String, CodingKey { case alias, coverage, minRows = "min_rows" }
    }
    var name: String
    var window: Window
    var promotion: Promotion?
    var params: [String: String]?
}

/// A type whose keys are `CaseIterable`: unknown keys are refused before decoding.
private struct Listed: Decodable {
    var port: Int
    var host: String?
    enum CodingKeys: String, CodingKey, CaseIterable { case port, host }
}

private func error(_ body: () throws -> Void) -> ConfigError? {
    do { try body() } catch let e as ConfigError { return e } catch { Issue.record("not a ConfigError: \(error)") }
    return nil
}

@Suite struct ConfigDecodeTests {
    @Test func aNestedDecodableDecodes() throws {
        let node = try ConfigNode.parse(yaml: """
            name: nightly
            window:
              last: 14d
            promotion: {alias: candidate, min_rows: 1000, coverage: [0.9, 0.99]}
            params: {cadence: 5m, trees: 200}
            """, file: "job.yaml")
        let job = try node.decode(Job.self)
        #expect(job == Job(
            name: "nightly", window: .init(last: .days(14)),
            promotion: .init(alias: "candidate", minRows: 1000, coverage: [0.9, 0.99]), params: ["cadence": "5m", "trees": "200"]))
    }

    @Test func aWrongTypeNamesFileLineAndKey() throws {
        let e = error { _ = try ConfigNode.parse(yaml: "name: n\nwindow:\n  last: 14d\npromotion:\n  min_rows: many\n", file: "job.yaml").decode(Job.self) }
        #expect(e == ConfigError(file: "job.yaml", line: 5, key: "promotion.min_rows", "expected a whole number, found 'many'"))
        #expect(e?.description == "job.yaml:5: 'promotion.min_rows': expected a whole number, found 'many'")
    }

    @Test func aBadDurationNamesItsKey() throws {
        let e = error { _ = try ConfigNode.parse(yaml: "name: n\nwindow: {last: 14}\n", file: "job.yaml").decode(Job.self) }
        #expect(e?.file == "job.yaml" && e?.line == 2 && e?.key == "window.last", "\(String(describing: e))")
        #expect(e?.message.contains("a bare number has no unit") == true, "\(String(describing: e))")
    }

    @Test func anUnknownKeyIsRefusedWithTheAllowedOnes() throws {
        let e = error { _ = try ConfigNode.parse(yaml: "name: n\nwindow:\n  last: 1d\n  lsat: 2d\n", file: "job.yaml").decode(Job.self) }
        #expect(e == ConfigError(file: "job.yaml", line: 4, key: "window.lsat", "unknown key (allowed here: from, last)"))
        let top = error { _ = try ConfigNode.parse(yaml: "name: n\nwindow: {}\nschedule: daily\n", file: "job.yaml").decode(Job.self) }
        #expect(top?.key == "schedule" && top?.line == 3 && top?.message.contains("name, params, promotion, window") == true, "\(String(describing: top))")
    }

    @Test func aMissingKeyNamesItsPathAndTheMappingLine() throws {
        let e = error { _ = try ConfigNode.parse(yaml: "window: {}\n", file: "job.yaml").decode(Job.self) }
        #expect(e == ConfigError(file: "job.yaml", line: 1, key: "name", "missing key"))
    }

    @Test func caseIterableKeysRefuseAMisspeltKeyBeforeAMissingOne() throws {
        let e = error { _ = try ConfigNode.parse(yaml: "prot: 1\n", file: "c.yaml").decode(Listed.self) }
        #expect(e == ConfigError(file: "c.yaml", line: 1, key: "prot", "unknown key (allowed here: host, port)"))
    }

    @Test func numbersAreDecimalQuotedOrNot() throws {
        #expect(try ConfigNode.parse(yaml: "port: 010\n").decode(Listed.self).port == 10)
        #expect(try ConfigNode.parse(yaml: "port: '9042'\n").decode(Listed.self).port == 9042)
        #expect(error { _ = try ConfigNode.parse(yaml: "port: 1:30\n").decode(Listed.self) }?.message == "expected a whole number, found '1:30'")
        #expect(try ConfigNode.parse(yaml: "n: 010\n").mapping(allowed: ["n"]).required("n").int(in: 0...100) == 10)
    }

    @Test func listEntriesAreNamedByIndex() throws {
        let e = error { _ = try ConfigNode.parse(yaml: "name: n\nwindow: {}\npromotion:\n  coverage:\n    - 0.9\n    - high\n").decode(Job.self) }
        #expect(e?.description == "config:6: 'promotion.coverage[1]': expected a number, found 'high'")
    }

    @Test func nodeReadersAndErrorsShareTheFormat() throws {
        let root = try ConfigNode.parse(yaml: "a:\n  b: [x, 7]\n  t: 90s\n", file: "f.yaml")
        let a = try root.mapping(allowed: ["a"]).required("a").mapping(allowed: ["b", "t"])
        #expect(try a.required("t").timeSpan() == TimeSpan(milliseconds: 90_000))
        #expect(try a.required("b").strings() == ["x", "7"])
        #expect(error { _ = try a.required("b").string() }?.description == "f.yaml:2: 'a.b': expected a non-empty string, found a list")
        #expect(error { _ = try a.required("c") }?.description == "f.yaml:2: 'a.c': missing key")
        #expect(error { _ = try root.mapping(allowed: ["z", "y"]) }?.description == "f.yaml:1: 'a': unknown key (allowed here: y, z)")
        #expect(root.locate(ConfigError(key: "a.t", "too short")).description == "f.yaml:3: 'a.t': too short")
        #expect(root.locate(ConfigError(key: "a.q", "needed")).description == "f.yaml:2: 'a.q': needed")
        #expect(error { _ = try ConfigNode.parse(yaml: "a: [1\n", file: "f.yaml") }?.line == 2)
        #expect(ConfigError(file: "f.yaml", "cannot read the file").description == "f.yaml: cannot read the file")
        let jobs = try ConfigNode.parse(yaml: "a: 1", file: "/srv/forewarn/Jobs/nightly.yaml")
        #expect(jobs.resolve("../archive") == "/srv/forewarn/archive" && jobs.resolve("/data/archive") == "/data/archive")
    }

    /// A file that cannot be read says why: missing, a directory, not UTF-8.
    @Test func anUnreadableFileSaysWhy() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("forewarn-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func message(_ path: String) -> String {
            do { _ = try ConfigNode.load(path: path); return "loaded" } catch { return "\(error)" }
        }
        #expect(message(dir.appendingPathComponent("missing.yaml").path).hasSuffix("missing.yaml: no such file"))
        #expect(message(dir.path).hasSuffix(": a directory, not a file"))
        let latin = dir.appendingPathComponent("latin.yaml")
        try Data([0x61, 0x3A, 0x20, 0xE9, 0xFF]).write(to: latin)
        #expect(message(latin.path).hasSuffix("latin.yaml: the file is not UTF-8 text"))
    }
}
