import EventArchive
import Foundation
import Testing

/// A temporary input file, unique per call, removed by `remove()`.
private struct TempFile {
    let path: String

    init(_ text: String, ext: String) throws {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("forewarn-import-\(UUID().uuidString).\(ext)").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

private func taxiSpec() throws -> StreamSpec {
    try StreamSpec(stream: "taxi", time: "ts", fields: ["fare", "distance"], key: "zone", id: "trip_id")
}

/// Imports `text` and returns the batches and the report.
private func load(
    _ text: String, _ format: ImportFormat, spec: StreamSpec? = nil, options: ImportOptions = ImportOptions()
) throws -> (batches: [EventBatch], report: ImportReport, path: String) {
    let file = try TempFile(text, ext: format.rawValue)
    defer { file.remove() }
    var batches: [EventBatch] = []
    let report = try EventImporter.read(path: file.path, format: format, spec: spec ?? taxiSpec(), options: options) {
        batches.append($0)
    }
    return (batches, report, file.path)
}

private let t0: Int64 = 1_767_225_600_000  // 2026-01-01T00:00:00Z

@Test func csvHappyPath() throws {
    let csv = """
        ts,zone,trip_id,fare,distance,note
        2026-01-01T00:00:00Z,north,t1,12.5,3,x
        1767225601000,south,t2,-1e-3,+.5,y
        2026-01-01T00:00:02.250+00:00,north,t3,7,0,z

        """
    let (batches, report, _) = try load(csv, .csv)
    #expect(report.rows == 3 && report.rejected == 0 && report.errors.isEmpty)
    let b = try #require(batches.first)
    #expect(batches.count == 1)
    #expect(b.fieldNames == ["fare", "distance"])
    #expect(b.time == [t0, t0 + 1000, t0 + 2250])
    #expect((0..<3).map { b.series(at: $0) } == ["north", "south", "north"])
    #expect(b.seriesNames == ["north", "south"])
    #expect(b.eventIDs == ["t1", "t2", "t3"])
    #expect(b.fields[0] == [12.5, -0.001, 7])
    #expect(b.fields[1] == [3, 0.5, 0])
}

@Test func csvWithoutKeyOrIdUsesTheEmptySeries() throws {
    let spec = try StreamSpec(stream: "s", time: "ts", fields: ["v"])
    let (batches, report, _) = try load("v,ts\n1.5,1000\n2.5,2000\n", .csv, spec: spec)
    #expect(report.rows == 2)
    #expect(batches[0].seriesNames == [""] && batches[0].eventIDs == nil)
    #expect(batches[0].fields[0] == [1.5, 2.5])
}

@Test func smallBatchRowsGiveSeveralBatches() throws {
    var options = ImportOptions()
    options.batchRows = 2
    let rows = (0..<5).map { "\($0 * 1000),z\($0 % 2),id\($0),\($0),1" }.joined(separator: "\n")
    let (batches, report, _) = try load("ts,zone,trip_id,fare,distance\n" + rows + "\n", .csv, options: options)
    #expect(report.rows == 5)
    #expect(batches.map(\.count) == [2, 2, 1])
    #expect(batches.flatMap(\.time) == [0, 1000, 2000, 3000, 4000])
    #expect(batches.flatMap { b in (0..<b.count).map { b.series(at: $0) } } == ["z0", "z1", "z0", "z1", "z0"])
    #expect(batches.flatMap { $0.eventIDs ?? [] } == ["id0", "id1", "id2", "id3", "id4"])
}

@Test func quotedCsvCells() throws {
    let csv = "ts,zone,trip_id,fare,distance\n"
        + "1000,\"north, east\",\"say \"\"hi\"\"\",\"3.5\",1\n"
        + "2000,\"two\nlines\",t2,4,2\n"
        + "3000,\"\",t3,abc,2\n"
    let (batches, report, _) = try load(csv, .csv)
    #expect(report.rows == 2)
    let b = try #require(batches.first)
    #expect(b.series(at: 0) == "north, east" && b.eventIDs?[0] == "say \"hi\"")
    #expect(b.series(at: 1) == "two\nlines")
    #expect(b.fields[0] == [3.5, 4])
    // The quoted record spans lines 3 and 4, so the next record is on line 5.
    #expect(report.errors == [RowError(file: report.errors.first?.file ?? "", line: 5, message: "field 'fare' is not a number: 'abc'")])
}

@Test func crlfLineEndings() throws {
    let csv = "ts,zone,trip_id,fare,distance\r\n1000,a,t1,1,2\r\n2000,b,\"t\r\n2\",3,4\r\n"
    let (batches, report, _) = try load(csv, .csv)
    #expect(report.rows == 2 && report.rejected == 0)
    #expect(batches[0].fields[1] == [2, 4])
    #expect(batches[0].eventIDs == ["t1", "t\r\n2"])
}

@Test(arguments: [
    ("1000,a,t1,,2", "missing field 'fare'"),
    ("1000,a,t1,1,NaN", "field 'distance' is not finite"),
    ("1000,a,t1,-inf,2", "field 'fare' is not finite"),
    ("1000,a,t1,1e999,2", "field 'fare' is not finite"),
    ("1000,a,t1,12abc,2", "field 'fare' is not a number: '12abc'"),
    ("1000,a,t1,0x10,2", "field 'fare' is not a number: '0x10'"),
    ("1000,a,t1,1", "expected 5 cells, found 4"),
    ("1000,a,t1,1,2,3", "expected 5 cells, found 6"),
    (",a,t1,1,2", "missing field 'ts'"),
    ("1960-01-01T00:00:00Z,a,t1,1,2", "time '1960-01-01T00:00:00Z' is out of range"),
    ("-5,a,t1,1,2", "time '-5' is out of range"),
    ("99999999999999999999,a,t1,1,2", "time '99999999999999999999' is out of range"),
    ("yesterday,a,t1,1,2", "field 'ts' is not a time: 'yesterday'"),
    ("2026-01-02,a,t1,1,2", "field 'ts' is a date without a time of day: '2026-01-02'"),
    ("2026-02-30,a,t1,1,2", "field 'ts' is not a time: '2026-02-30'"),
    ("1000,\(String(repeating: "z", count: 4_097)),t1,1,2", "field 'zone' is longer than 4096 bytes"),
    ("1000,,t1,1,2", "missing field 'zone'"),
    ("1000,a,,1,2", "missing field 'trip_id'"),
    ("1000,\"a\"b,t1,1,2", "malformed quoted cell in column 2"),
])
func badCsvRowsAreReportedWithLineAndField(row: String, message: String) throws {
    let csv = "ts,zone,trip_id,fare,distance\n1000,ok,t0,1,1\n\(row)\n2000,ok,t9,1,1\n"
    let (batches, report, path) = try load(csv, .csv)
    #expect(report.rows == 2 && report.rejected == 1)
    let error = try #require(report.errors.first)
    #expect(error.file == path && error.line == 3)
    #expect(error.message.hasPrefix(message), "\(error)")
    #expect(batches.flatMap { $0.eventIDs ?? [] } == ["t0", "t9"])
}

/// Bytes that are not UTF-8 in a key or id refuse the row in both formats: replaced by U+FFFD, different raw ids would become one.
@Test func invalidUTF8InKeysAndIdsIsRefused() throws {
    for (format, head, rows) in [
        (ImportFormat.csv, "ts,zone,trip_id,fare,distance\n", ["1000,a\u{1},t1,1,1", "1000,a,t\u{2},1,1"]),
        (.jsonl, "", [#"{"ts":1000,"zone":"a\#u{1}","trip_id":"t1","fare":1,"distance":1}"#, #"{"ts":1000,"zone":"a","trip_id":"t\#u{2}","fare":1,"distance":1}"#]),
    ] {
        // \u{1} and \u{2} stand for the bytes 0xFF and 0xFE.
        var bytes = Array((head + rows.joined(separator: "\n") + "\n").utf8)
        for i in bytes.indices where bytes[i] == 1 || bytes[i] == 2 { bytes[i] = bytes[i] == 1 ? 0xFF : 0xFE }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("forewarn-utf8-\(UUID().uuidString).\(format.rawValue)").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let report = try EventImporter.read(path: path, format: format, spec: taxiSpec(), options: ImportOptions()) { _ in }
        #expect(report.rows == 0 && report.rejected == 2, "\(format)")
        #expect(report.errors.map(\.message) == ["field 'zone' is not valid UTF-8", "field 'trip_id' is not valid UTF-8"], "\(format)")
    }
}

@Test func headerMissingFieldsIsAFileError() throws {
    let file = try TempFile("ts,zone,trip_id,fare\n1000,a,t,1\n", ext: "csv")
    defer { file.remove() }
    do {
        _ = try EventImporter.read(path: file.path, format: .csv, spec: taxiSpec(), options: ImportOptions()) { _ in }
        Issue.record("a header without 'distance' was accepted")
    } catch let error as RowError {
        #expect(error.line == 1)
        #expect(error.message.contains("missing the column 'distance'"), "\(error)")
    }
    let noTime = try TempFile("zone,trip_id,distance,fare\n", ext: "csv")
    defer { noTime.remove() }
    #expect(throws: RowError.self) {
        try EventImporter.read(path: noTime.path, format: .csv, spec: taxiSpec(), options: ImportOptions()) { _ in }
    }
}

@Test func jsonLinesHappyPath() throws {
    let jsonl = """
        {"ts": "2026-01-01T00:00:00Z", "zone": "north", "trip_id": "t1", "fare": 12.5, "distance": 3}
        {"extra": {"a": [1, {"b": "}]"}], "c": null}, "ts": 1767225601000, "zone": 42, "trip_id": "t\\u00e92", "fare": "3.5", "distance": -2E2}

        {"trip_id":"t3","distance":0,"fare":1,"zone":"tr\\u00fce","ts":"1767225602000","list":[[],{}]}
        """
    let (batches, report, _) = try load(jsonl, .jsonl)
    #expect(report.rows == 3 && report.rejected == 0, "\(report.errors)")
    let b = try #require(batches.first)
    #expect(b.time == [t0, t0 + 1000, t0 + 2000])
    #expect((0..<3).map { b.series(at: $0) } == ["north", "42", "trüe"], "a key may be a number, as written")
    #expect(b.eventIDs == ["t1", "té2", "t3"])
    #expect(b.fields[0] == [12.5, 3.5, 1])
    #expect(b.fields[1] == [3, -200, 0])
}

@Test(arguments: [
    (#"{"ts": 1000, "zone": "a", "trip_id": "t", "fare": null, "distance": 1}"#, "missing field 'fare'"),
    (#"{"ts": 1000, "zone": "a", "trip_id": "t", "fare": 1}"#, "missing field 'distance'"),
    (#"{"ts": 1000, "zone": "a", "trip_id": "t", "fare": "NaN", "distance": 1}"#, "field 'fare' is not finite"),
    (#"{"ts": 1000, "zone": "a", "trip_id": "t", "fare": 1e999, "distance": 1}"#, "field 'fare' is not finite"),
    (#"{"ts": 1000, "zone": "a", "trip_id": "t", "fare": true, "distance": 1}"#, "field 'fare' is not a number"),
    (#"{"ts": 1000, "zone": "a", "trip_id": "t", "fare": [1], "distance": 1}"#, "field 'fare' is not a number"),
    (#"{"ts": -1, "zone": "a", "trip_id": "t", "fare": 1, "distance": 1}"#, "time '-1' is out of range"),
    (#"{"ts": "soon", "zone": "a", "trip_id": "t", "fare": 1, "distance": 1}"#, "field 'ts' is not a time"),
    (#"{"zone": "a", "trip_id": "t", "fare": 1, "distance": 1}"#, "missing field 'ts'"),
    (#"{"ts": 1000, "zone": {}, "trip_id": "t", "fare": 1, "distance": 1}"#, "field 'zone' must be a scalar"),
    (#"{"ts": 1000, "zone": "a", "trip_id": "t", "fare": 1, "distance": 1"#, "invalid JSON"),
    (#"{"ts": 1000, "zone": "a", "trip_id": "t", "fare": 01, "distance": 1}"#, "invalid JSON"),
    (#"{"ts": 1000 "zone": "a"}"#, "invalid JSON at column 13: expected ',' or '}'"),
    (#"[1, 2]"#, "expected a JSON object, found an array"),
    (#"{"ts": 1000, "zone": true, "trip_id": "t", "fare": 1, "distance": 1}"#, "field 'zone' must be a string, not a boolean: 'true'"),
    (#"{"ts": 1000, "zone": "a", "trip_id": false, "fare": 1, "distance": 1}"#, "field 'trip_id' must be a string, not a boolean: 'false'"),
    (#"{"ts": 1000, "zone": "a", "trip_id": 17, "fare": 1, "distance": 1}"#, "field 'trip_id' must be a string, not a number: '17'"),
    (#"{"ts": "2026-01-02", "zone": "a", "trip_id": "t", "fare": 1, "distance": 1}"#, "field 'ts' is a date without a time of day: '2026-01-02'"),
    (#"{"ts": 1000, "zone": "a\ud800", "trip_id": "t", "fare": 1, "distance": 1}"#, "field 'zone' is not valid UTF-8 (an escaped lone surrogate)"),
    (#"{"ts": 1000, "zone": "a", "trip_id": "\udc00", "fare": 1, "distance": 1}"#, "field 'trip_id' is not valid UTF-8 (an escaped lone surrogate)"),
    (#"not json"#, "invalid JSON"),
])
func badJsonLinesAreReportedWithLineAndField(line: String, message: String) throws {
    let good = #"{"ts": 1000, "zone": "a", "trip_id": "ok", "fare": 1, "distance": 1}"#
    let (batches, report, path) = try load("\(good)\n\n\(line)\n\(good)\n", .jsonl)
    #expect(report.rows == 2 && report.rejected == 1)
    let error = try #require(report.errors.first)
    #expect(error.file == path && error.line == 3)
    #expect(error.message.hasPrefix(message), "\(error)")
    #expect(batches.map(\.count) == [2])
}

@Test func oversizedLinesAreRejectedAndSkipped() throws {
    var options = ImportOptions()
    options.maxLineBytes = 100
    let good = #"{"ts": 1000, "zone": "a", "trip_id": "ok", "fare": 1, "distance": 1}"#
    let long = #"{"ts": 1000, "pad": ""# + String(repeating: "x", count: 5000) + #""}"#
    let (_, report, _) = try load("\(good)\n\(long)\n\(good)\n", .jsonl, options: options)
    #expect(report.rows == 2)
    #expect(report.errors.map(\.line) == [2])
    #expect(report.errors.first?.message == "line is longer than 100 bytes")
}

@Test func strictModeThrowsTheFirstBadRow() throws {
    var options = ImportOptions()
    options.strict = true
    let csv = "ts,zone,trip_id,fare,distance\n1000,a,t,1,1\n1000,a,t,,1\n1000,a,t,nan,1\n"
    let file = try TempFile(csv, ext: "csv")
    defer { file.remove() }
    #expect(throws: RowError(file: file.path, line: 3, message: "missing field 'fare'")) {
        try EventImporter.read(path: file.path, format: .csv, spec: taxiSpec(), options: options) { _ in }
    }
}

@Test func reportKeepsTheFirstHundredErrors() throws {
    let bad = String(repeating: "1000,a,t,x,1\n", count: 150)
    let (_, report, _) = try load("ts,zone,trip_id,fare,distance\n" + bad, .csv)
    #expect(report.rejected == 150 && report.errors.count == 100)
    #expect(report.errors.first?.line == 2 && report.errors.last?.line == 101)
}

@Test func missingFileNamesThePath() throws {
    let path = "/nonexistent/forewarn-\(UUID().uuidString).csv"
    #expect(throws: ImportFileError(path: path, message: "no such file")) {
        try EventImporter.read(path: path, format: .csv, spec: taxiSpec(), options: ImportOptions()) { _ in }
    }
    let dir = FileManager.default.temporaryDirectory.path
    #expect(throws: ImportFileError.self) {
        try EventImporter.read(path: dir, format: .jsonl, spec: taxiSpec(), options: ImportOptions()) { _ in }
    }
}

@Test func emptyCsvHasNoHeader() throws {
    #expect(throws: RowError.self) { try load("", .csv) }
}

@Test func filesLargerThanOneReadChunk() throws {
    // About 9 MB: several chunks, so records and quoted cells straddle chunk boundaries.
    var text = "\u{FEFF}ts,zone,trip_id,fare,distance\n"
    let n = 200_000
    for i in 0..<n { text += "\(i),\"zone, \(i % 7)\",trip-\(i),\(i).25,\"\(i % 10)\"\n" }
    var options = ImportOptions()
    options.batchRows = 50_000
    let (batches, report, _) = try load(text, .csv, options: options)
    #expect(report.rows == n && report.rejected == 0)
    #expect(batches.map(\.count) == [50_000, 50_000, 50_000, 50_000])
    #expect(batches.flatMap(\.time) == (0..<n).map(Int64.init))
    #expect(batches.flatMap { $0.fields[0] }.reduce(0, +) == Double(n * (n - 1) / 2) + 0.25 * Double(n))
    #expect(batches.last?.eventIDs?.last == "trip-\(n - 1)")
    #expect(batches.last?.series(at: 49_999) == "zone, \((n - 1) % 7)")
}

@Test func formatIsGuessedFromTheExtension() {
    #expect(ImportFormat.guess(path: "a/b.CSV") == .csv)
    #expect(ImportFormat.guess(path: "x.jsonl") == .jsonl)
    #expect(ImportFormat.guess(path: "x.ndjson") == .jsonl)
    #expect(ImportFormat.guess(path: "x.json") == .jsonl)
    #expect(ImportFormat.guess(path: "x.txt") == nil)
    #expect(ImportFormat.guess(path: "dir.csv/file") == nil)
}

@Test func unterminatedQuoteAtTheEndOfTheFile() throws {
    let csv = "ts,zone,trip_id,fare,distance\n1000,a,t1,1,1\n2000,\"open,t2,1,1\n3000,b,t3,1,1\n"
    let (batches, report, _) = try load(csv, .csv)
    #expect(report.rows == 1 && batches.first?.eventIDs == ["t1"])
    #expect(report.errors.map(\.line) == [3])
    #expect(report.errors.first?.message.contains("unterminated quoted cell") == true)
}

@Test func jsonEscapesInNamesAndValues() throws {
    let line = #"{"t\u0073": 1000, "zone": "caf\u00e9 \ud83d\ude00 \"q\" \\", "trip_id": "a\/b", "fare": "1\u002e5", "distance": 2}"#
    let (batches, report, _) = try load(line + "\n", .jsonl)
    #expect(report.rows == 1, "\(report.errors)")
    #expect(batches.first?.series(at: 0) == "café 😀 \"q\" \\")
    #expect(batches.first?.eventIDs == ["a/b"])
    #expect(batches.first?.fields[0] == [1.5])
}
