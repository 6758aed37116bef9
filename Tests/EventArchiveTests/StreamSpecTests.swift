import ConfigFiles
import EventArchive
import Foundation
import Testing

@Test func parsesTheDocumentedExample() throws {
    let spec = try StreamSpec.parse(yaml: """
        stream: taxi
        key: zone
        time: pickup_at
        fields: [fare, distance, duration]
        id: trip_id
        """)
    #expect(spec.stream == "taxi" && spec.key == "zone" && spec.time == "pickup_at" && spec.id == "trip_id")
    #expect(spec.fields == ["fare", "distance", "duration"])
    #expect(spec.specHash.count == 16)
}

@Test func unknownKeyNamesItsLine() {
    #expect(throws: ConfigError(line: 3, key: "feilds", "unknown key (allowed here: fields, id, key, stream, time, time_format, timezone)")) {
        try StreamSpec.parse(yaml: "stream: s\ntime: t\nfeilds: [a]\n")
    }
}

@Test func theHashOfTheDocumentedExampleIsPinned() throws {
    // Archive parts carry this hash: a change to the canonical form or to FNV-1a would orphan them.
    let spec = try StreamSpec.parse(yaml: "stream: taxi\nkey: zone\ntime: pickup_at\nfields: [fare, distance, duration]\nid: trip_id\n")
    #expect(spec.specHash == "a0013bd61b31560c")
}

@Test func fileLineAndKeyForAWrongTypeAndAnUnknownKey() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("forewarn-spec-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let wrongType = dir.appendingPathComponent("wrong.yaml")
    try "stream: s\ntime: t\nfields:\n  - a\n  - {b: 1}\n".write(to: wrongType, atomically: true, encoding: .utf8)
    #expect(throws: ConfigError(file: wrongType.path, line: 5, key: "fields[1]", "expected a non-empty string, found a mapping")) {
        try StreamSpec.load(path: wrongType.path)
    }
    let unknown = dir.appendingPathComponent("unknown.yaml")
    try "stream: s\ntime: t\nfields: [a]\nunit: kwh\n".write(to: unknown, atomically: true, encoding: .utf8)
    do {
        _ = try StreamSpec.load(path: unknown.path)
        Issue.record("accepted an unknown key")
    } catch {
        #expect("\(error)" == "\(unknown.path):4: 'unit': unknown key (allowed here: fields, id, key, stream, time, time_format, timezone)")
    }
}

@Test(arguments: [
    ("stream: s\nfields: [a]\n", 1 as Int?, "time", "missing key"),
    ("stream: s\ntime: t\nfields: a\n", 3, "fields", "expected a list"),
    ("stream: s\ntime: t\nfields: [a, a]\n", 3, "fields", "listed twice"),
    ("stream: s\ntime: t\nfields: [t]\n", 3, "fields", "both a numeric field"),
    ("stream: ../x\ntime: t\nfields: [a]\n", 1, "stream", "stream name"),
    ("stream: s\ntime: t\nfields: [a\n", 4, nil, "not valid YAML"),
    ("- a\n- b\n", 1, nil, "expected a mapping"),
    ("", nil, nil, "empty"),
])
func badSpecsSayWhatAndWhere(yaml: String, line: Int?, key: String?, fragment: String) {
    do {
        _ = try StreamSpec.parse(yaml: yaml)
        Issue.record("accepted a bad spec: \(yaml)")
    } catch let error as ConfigError {
        #expect(error.line == line, "\(error)")
        #expect(error.key == key, "\(error)")
        #expect(error.message.contains(fragment), "\(error)")
    } catch {
        Issue.record("unexpected error \(error)")
    }
}

@Test func eventTimesParseBothForms() {
    #expect(EventTime.parse("2026-01-02T03:04:05Z") == 1_767_323_045_000)
    #expect(EventTime.parse("2026-01-02T03:04:05.250+01:00") == 1_767_319_445_250)
    #expect(EventTime.parse("1767323045000") == 1_767_323_045_000)
    #expect(EventTime.parse("2026-01-02") == 1_767_312_000_000)
    #expect(EventTime.parse("2026-02-30T00:00:00Z") == nil)
    #expect(EventTime.parse("2028-02-29T00:00:00Z") != nil && EventTime.parse("2026-02-29T00:00:00Z") == nil)
    #expect(EventTime.parse("2100-02-29") == nil && EventTime.parse("2000-02-29") != nil)
    #expect(EventTime.parse("2026-04-31") == nil && EventTime.parse("2026-12-31") != nil)
    let text = Array("x2026-01-02T03:04:05Zx".utf8)
    #expect(text.withUnsafeBytes { EventTime.parseRFC3339(utf8: UnsafeRawBufferPointer(rebasing: $0[1..<21])) } == 1_767_323_045_000)
    #expect(EventTime.parseRFC3339(utf8: text[1..<21]) == 1_767_323_045_000)
    #expect(EventTime.parseRFC3339(utf8: "2026-01-02T03:04:05Z".utf8.reversed().reversed()) == 1_767_323_045_000)
    #expect(EventTime.parseRFC3339(utf8: text[0..<21]) == nil)
    #expect(EventTime.parse("-5") == nil)
    #expect(EventTime.parse("yesterday") == nil)
    #expect(EventTime.parse("1e20") == nil)
    #expect(EventTime.parse("99999999999999999999") == nil)
    #expect(EventTime.parse(" 1767323045000.0 ") == 1_767_323_045_000)
    #expect(EventTime.format(1_767_323_045_250) == "2026-01-02T03:04:05.250Z")
    #expect(EventTime.partition(1_767_323_045_000) == ("date=2026-01-02", "hour=03"))
}
