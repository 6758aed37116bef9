import EventArchive
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
    #expect(throws: SpecError(line: 3, message: "unknown key 'feilds' (allowed: fields, id, key, stream, time)")) {
        try StreamSpec.parse(yaml: "stream: s\ntime: t\nfeilds: [a]\n")
    }
}

@Test(arguments: [
    ("stream: s\nfields: [a]\n", nil as Int?, "missing required key 'time'"),
    ("stream: s\ntime: t\nfields: a\n", 3, "'fields' must be a list"),
    ("stream: s\ntime: t\nfields: [a, a]\n", 3, "listed twice"),
    ("stream: s\ntime: t\nfields: [t]\n", 3, "both a numeric field"),
    ("stream: ../x\ntime: t\nfields: [a]\n", 1, "stream name"),
    ("stream: s\ntime: t\nfields: [a\n", 4, "not valid YAML"),
    ("- a\n- b\n", 1, "mapping of keys"),
    ("", nil, "empty"),
])
func badSpecsSayWhatAndWhere(yaml: String, line: Int?, fragment: String) {
    do {
        _ = try StreamSpec.parse(yaml: yaml)
        Issue.record("accepted a bad spec: \(yaml)")
    } catch let error as SpecError {
        #expect(error.line == line, "\(error)")
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
