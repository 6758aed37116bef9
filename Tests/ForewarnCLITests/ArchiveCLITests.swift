import Foundation
import Testing

private let taxiSpec = """
    stream: taxi
    key: zone
    time: pickup_at
    fields: [fare, distance]
    id: trip_id
    """

private let goodCSV = """
    pickup_at,zone,fare,distance,trip_id,note
    2026-01-02T03:00:00Z,A,10.5,2.0,t1,x
    2026-01-02T03:30:00Z,B,7.25,1.5,t2,"quoted, with comma"
    2026-01-02T04:10:00Z,A,12,3.25,t3,
    1767326400000,C,5,1,t4,epoch
    """

@Suite(.serialized) struct ArchiveCLITests {
    @Test func helpTeachesTheCommands() throws {
        let top = try CLIRunner.run(["--help"])
        #expect(top.status == 0)
        for word in ["archive", "simulate", "spec", "bench", "version"] { #expect(top.stdout.contains(word)) }
        let imp = try CLIRunner.run(["archive", "import", "--help"])
        #expect(imp.stdout.contains("--strict") && imp.stdout.contains("Example"))
    }

    @Test func importListStatsExportRoundTrip() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let spec = try dir.write("taxi.yaml", taxiSpec)
        let csv = try dir.write("trips.csv", goodCSV)
        let archive = dir.path("archive")
        let imp = try CLIRunner.run(["archive", "import", "--archive", archive, "--stream", "taxi", "--spec", spec, csv, "--json"])
        #expect(imp.status == 0, "\(imp.stderr)")
        #expect(jsonObject(imp.stdout)["rows"] as? Int == 4)

        let ls = try CLIRunner.run(["archive", "ls", "--archive", archive, "--stream", "taxi"])
        #expect(ls.status == 0)
        #expect(ls.stdout.contains("date=2026-01-02/hour=03") && ls.stdout.contains("date=2026-01-02/hour=04"))

        let stats = try CLIRunner.run(["archive", "stats", "--archive", archive, "--stream", "taxi", "--json"])
        let s = jsonObject(stats.stdout)
        #expect(s["rows"] as? Int == 4 && s["series"] as? Int == 3)
        let fare = (s["fields"] as? [String: Any])?["fare"] as? [String: Any]
        #expect(fare?["min"] as? Double == 5 && fare?["max"] as? Double == 12)
        #expect(abs((fare?["mean"] as? Double ?? 0) - 8.6875) < 1e-9)

        let windowed = try CLIRunner.run([
            "archive", "stats", "--archive", archive, "--stream", "taxi", "--from", "2026-01-02T04:00:00Z", "--json",
        ])
        #expect(jsonObject(windowed.stdout)["rows"] as? Int == 2)

        // Export, re-import into a second archive, and compare the exports: nothing changes on the way.
        let exported = dir.path("export.csv")
        let exp = try CLIRunner.run(["archive", "export", "--archive", archive, "--stream", "taxi", "--output", exported])
        #expect(exp.status == 0, "\(exp.stderr)")
        let again = try CLIRunner.run(["archive", "import", "--archive", dir.path("archive2"), "--stream", "taxi", "--spec", spec, exported])
        #expect(again.status == 0, "\(again.stderr)")
        let exp2 = try CLIRunner.run(["archive", "export", "--archive", dir.path("archive2"), "--stream", "taxi"])
        #expect(try String(contentsOfFile: exported, encoding: .utf8) == exp2.stdout)
        #expect(exp2.stdout.hasPrefix("pickup_at,zone,trip_id,fare,distance\n2026-01-02T03:00:00.000Z,A,t1,10.5,2\n"))

        let jsonl = try CLIRunner.run(["archive", "export", "--archive", archive, "--stream", "taxi", "--format", "jsonl", "--to", "2026-01-02T03:15:00Z"])
        #expect(jsonl.stdout == "{\"pickup_at\":\"2026-01-02T03:00:00.000Z\",\"zone\":\"A\",\"trip_id\":\"t1\",\"fare\":10.5,\"distance\":2}\n")
    }

    @Test func badRowsAreNamedAndSkippedAndStrictWritesNothing() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let spec = try dir.write("taxi.yaml", taxiSpec)
        let csv = try dir.write("bad.csv", """
            pickup_at,zone,fare,distance,trip_id
            2026-01-02T03:00:00Z,A,10.5,2.0,t1
            2026-01-02T03:01:00Z,A,ten,2.0,t2
            2026-01-02T03:02:00Z,A,NaN,2.0,t3
            not-a-time,A,1,2.0,t4
            2026-01-02T03:04:00Z,A,,2.0,t5
            2026-01-02T03:05:00Z,A,1
            2026-01-02T03:06:00Z,B,3,4,t7
            """)
        let archive = dir.path("archive")
        let strict = try CLIRunner.run(["archive", "import", "--archive", archive, "--stream", "taxi", "--spec", spec, "--strict", csv])
        #expect(strict.status == 1)
        #expect(strict.stderr.contains("bad.csv:3"), "\(strict.stderr)")
        let afterStrict = try CLIRunner.run(["archive", "stats", "--archive", archive, "--stream", "taxi", "--json"])
        #expect(jsonObject(afterStrict.stdout)["rows"] as? Int ?? 0 == 0, "strict import wrote rows: \(afterStrict.stdout)")

        let lenient = try CLIRunner.run(["archive", "import", "--archive", archive, "--stream", "taxi", "--spec", spec, csv])
        #expect(lenient.status == 3)
        for line in 3...7 { #expect(lenient.stderr.contains("bad.csv:\(line):"), "line \(line) not reported: \(lenient.stderr)") }
        #expect(lenient.stderr.contains("fare"))
        let stats = try CLIRunner.run(["archive", "stats", "--archive", archive, "--stream", "taxi", "--json"])
        #expect(jsonObject(stats.stdout)["rows"] as? Int == 2)
    }

    @Test func wrongStreamSpecOrStreamIsRefused() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let spec = try dir.write("taxi.yaml", taxiSpec)
        let csv = try dir.write("trips.csv", goodCSV)
        let archive = dir.path("archive")
        let mismatch = try CLIRunner.run(["archive", "import", "--archive", archive, "--stream", "cabs", "--spec", spec, csv])
        #expect(mismatch.status != 0 && mismatch.stderr.contains("describes stream 'taxi'"))
        #expect(try CLIRunner.run(["archive", "import", "--archive", archive, "--stream", "taxi", "--spec", spec, csv]).status == 0)
        let other = try dir.write("taxi2.yaml", taxiSpec.replacingOccurrences(of: "[fare, distance]", with: "[fare]"))
        let changed = try CLIRunner.run(["archive", "import", "--archive", archive, "--stream", "taxi", "--spec", other, csv])
        #expect(changed.status != 0 && changed.stderr.contains("spec differs"), "\(changed.stderr)")
        let unknown = try CLIRunner.run(["archive", "stats", "--archive", archive, "--stream", "nope"])
        #expect(unknown.status != 0 && unknown.stderr.contains("unknown stream 'nope'") && unknown.stderr.contains("taxi"))
        let badTime = try CLIRunner.run(["archive", "stats", "--archive", archive, "--stream", "taxi", "--from", "soon"])
        #expect(badTime.status != 0 && badTime.stderr.contains("--from 'soon' is not a time"))
    }

    /// A failed import leaves nothing behind: the corrected spec imports next, and `archive spec` shows the
    /// recorded spec and replaces it only while the stream holds no parts.
    @Test func anImportThatLandsNothingRecordsNoSpec() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let wrong = try dir.write("wrong.yaml", taxiSpec.replacingOccurrences(of: "time: pickup_at", with: "time: picked_up"))
        let spec = try dir.write("taxi.yaml", taxiSpec)
        let csv = try dir.write("trips.csv", goodCSV)
        let archive = dir.path("archive")
        let failed = try CLIRunner.run(["archive", "import", "--archive", archive, "--stream", "taxi", "--spec", wrong, csv])
        #expect(failed.status != 0, "\(failed.stdout) \(failed.stderr)")
        #expect(failed.stdout.contains("0 rows into 0 new parts") || failed.stderr.contains("picked_up"), "\(failed.stdout) \(failed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(archive)/taxi"), "nothing under the archive: no stream.yaml, no directory")
        let fixed = try CLIRunner.run(["archive", "import", "--archive", archive, "--stream", "taxi", "--spec", spec, csv])
        #expect(fixed.status == 0, "\(fixed.stderr)")

        let shown = try CLIRunner.run(["archive", "spec", "--archive", archive, "--stream", "taxi"])
        #expect(shown.status == 0 && shown.stdout.contains("time: \"pickup_at\"") && shown.stdout.contains("# 2 part files"), "\(shown.stdout)")
        let json = jsonObject(try CLIRunner.run(["archive", "spec", "--archive", archive, "--stream", "taxi", "--json"]).stdout)
        #expect(json["time"] as? String == "pickup_at" && json["id"] as? String == "trip_id" && json["parts"] as? Int == 2)
        let refused = try CLIRunner.run(["archive", "spec", "--archive", archive, "--stream", "taxi", "--replace", wrong])
        #expect(refused.status == 1 && refused.stderr.contains("stream 'taxi' holds 2 part files"), "\(refused.stderr)")
        #expect(try String(contentsOfFile: "\(archive)/taxi/stream.yaml", encoding: .utf8).contains("pickup_at"))

        // A spec recorded without parts (as an earlier release left it after a failed import) can be replaced.
        try FileManager.default.createDirectory(atPath: "\(archive)/cabs", withIntermediateDirectories: true)
        let cabsWrong = try dir.write("cabs-wrong.yaml", taxiSpec.replacingOccurrences(of: "stream: taxi", with: "stream: cabs")
            .replacingOccurrences(of: "time: pickup_at", with: "time: picked_up"))
        let cabs = try dir.write("cabs.yaml", taxiSpec.replacingOccurrences(of: "stream: taxi", with: "stream: cabs"))
        try Data("stream: \"cabs\"\ntime: \"picked_up\"\nkey: \"zone\"\nid: \"trip_id\"\nfields: [\"fare\", \"distance\"]\n".utf8)
            .write(to: URL(fileURLWithPath: "\(archive)/cabs/stream.yaml"))
        #expect(try CLIRunner.run(["archive", "spec", "--archive", archive, "--stream", "cabs", "--replace", cabsWrong]).status == 0)
        let stale = try CLIRunner.run(["archive", "import", "--archive", archive, "--stream", "cabs", "--spec", cabs, csv])
        #expect(stale.status != 0 && stale.stderr.contains("archive spec --stream cabs --replace"), "the error says how: \(stale.stderr)")
        let replaced = try CLIRunner.run(["archive", "spec", "--archive", archive, "--stream", "cabs", "--replace", cabs])
        #expect(replaced.status == 0 && replaced.stdout.contains("recorded"), "\(replaced.stderr)")
        #expect(try CLIRunner.run(["archive", "import", "--archive", archive, "--stream", "cabs", "--spec", cabs, csv]).status == 0)
        let missing = try CLIRunner.run(["archive", "spec", "--archive", archive, "--stream", "nope"])
        #expect(missing.status != 0 && missing.stderr.contains("unknown stream 'nope'"), "\(missing.stderr)")
    }

    /// A file imported twice is stored once (the spec names an id field), and the second import says so.
    @Test func reimportingAFileStoresNothingTwice() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let (archive, spec, csv) = try Self.importedTrips(dir)
        let again = try CLIRunner.run(["archive", "import", "--archive", archive, "--stream", "taxi", "--spec", spec, csv])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("0 rows imported, 0 rejected, 4 already archived (same trip_id) skipped"), "\(again.stdout)")
        let json = jsonObject(try CLIRunner.run(["archive", "import", "--archive", archive, "--stream", "taxi", "--spec", spec, csv, "--json"]).stdout)
        #expect(json["duplicates_skipped"] as? Int == 4 && json["rows"] as? Int == 0 && json["parts_written"] as? Int == 0)
        let stats = try CLIRunner.run(["archive", "stats", "--archive", archive, "--stream", "taxi", "--json"])
        #expect(jsonObject(stats.stdout)["rows"] as? Int == 4, "\(stats.stdout)")
    }

    /// The good trips imported into `dir`'s archive: the archive, spec and CSV paths.
    static func importedTrips(_ dir: TempDir) throws -> (archive: String, spec: String, csv: String) {
        let spec = try dir.write("taxi.yaml", taxiSpec)
        let csv = try dir.write("trips.csv", goodCSV)
        let archive = dir.path("archive")
        #expect(try CLIRunner.run(["archive", "import", "--archive", archive, "--stream", "taxi", "--spec", spec, csv]).status == 0)
        return (archive, spec, csv)
    }

    @Test func corruptPartIsReportedAndTheRestStillReads() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let archive = try Self.importedTrips(dir).archive
        let hourDir = URL(fileURLWithPath: archive).appendingPathComponent("taxi/date=2026-01-02/hour=03")
        let part = try #require(try FileManager.default.contentsOfDirectory(atPath: hourDir.path).first { $0.hasSuffix(".h5") })
        let partURL = hourDir.appendingPathComponent(part)
        let bytes = try Data(contentsOf: partURL)
        try bytes.prefix(bytes.count / 2).write(to: partURL)
        let stats = try CLIRunner.run(["archive", "stats", "--archive", archive, "--stream", "taxi", "--json"])
        #expect(stats.status == 2)
        #expect(stats.stderr.contains(part), "\(stats.stderr)")
        #expect(jsonObject(stats.stdout)["rows"] as? Int == 2)
    }

    @Test func simulateIsDeterministicAndLabelled() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        var exports: [String] = []
        for name in ["a", "b"] {
            let archive = dir.path(name)
            let sim = try CLIRunner.run([
                "simulate", "--archive", archive, "--stream", "meters", "--series", "3", "--days", "2", "--seed", "11",
                "--anomaly-rate", "0.01", "--json",
            ])
            #expect(sim.status == 0, "\(sim.stderr)")
            let labels = try #require(jsonObject(sim.stdout)["labels"] as? String)
            #expect(try String(contentsOfFile: labels, encoding: .utf8).hasPrefix("series,time,time_ms,kind,field\n"))
            exports.append(try CLIRunner.run(["archive", "export", "--archive", archive, "--stream", "meters"]).stdout)
        }
        #expect(exports[0] == exports[1])
        #expect(exports[0].split(separator: "\n").count > 3 * 2 * 250)
    }

    @Test func repairQuarantinesGarbage() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let spec = try dir.write("taxi.yaml", taxiSpec)
        let csv = try dir.write("trips.csv", goodCSV)
        let archive = dir.path("archive")
        #expect(try CLIRunner.run(["archive", "import", "--archive", archive, "--stream", "taxi", "--spec", spec, csv]).status == 0)
        let junk = URL(fileURLWithPath: archive).appendingPathComponent("taxi/date=2026-01-02/hour=03/part-crashed.h5.inprogress")
        try Data(repeating: 7, count: 4096).write(to: junk)
        let repair = try CLIRunner.run(["archive", "repair", "--archive", archive, "--stream", "taxi", "--json"])
        #expect(repair.status == 0, "\(repair.stderr)")
        #expect((jsonObject(repair.stdout)["quarantined"] as? [Any])?.count == 1)
        #expect(!FileManager.default.fileExists(atPath: junk.path))
        let stats = try CLIRunner.run(["archive", "stats", "--archive", archive, "--stream", "taxi", "--json"])
        #expect(stats.status == 0 && jsonObject(stats.stdout)["rows"] as? Int == 4)
    }
}
