import Foundation
import Testing

/// What long commands show of their progress, through the real executable: its standard error is a
/// pipe here, as under a scheduler, so only log lines; `FOREWARN_PROGRESS=1` draws the terminal's bar.
@Suite(.serialized) struct ProgressCLITests {
    static let escape = "\u{1B}["

    /// A run whose stdout must be one JSON object and whose stderr has log lines and no escape codes.
    static func expectQuiet(_ r: CLIRunner.Result, tasks: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.status == 0, "\(r.stderr)", sourceLocation: sourceLocation)
        #expect(!r.stderr.contains(escape) && !r.stderr.contains("\r"), "no bar: \(r.stderr)", sourceLocation: sourceLocation)
        #expect(!jsonObject(r.stdout).isEmpty, "stdout is JSON: \(r.stdout)", sourceLocation: sourceLocation)
        for task in tasks {
            #expect(r.stderr.contains("\(task): started") && r.stderr.contains("\(task): done"), "\(task): \(r.stderr)",
                sourceLocation: sourceLocation)
        }
    }

    @Test func simulateImportAndTrainLogTheirTasksAndKeepJSONPure() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let archive = dir.path("archive")
        // FOREWARN_PROGRESS=1 asks for the bar, but --json keeps stderr free of it.
        let sim = try CLIRunner.run(
            ["simulate", "--archive", archive, "--stream", "meters", "--series", "4", "--days", "1", "--json"],
            environment: ["FOREWARN_PROGRESS": "1"])
        Self.expectQuiet(sim, tasks: ["simulating meters"])
        #expect(sim.stderr.contains("total=1152") && sim.stderr.contains("events=1152"), "4 series x 288 steps: \(sim.stderr)")

        let spec = try dir.write("taxi.yaml", "stream: taxi\ntime: ts\nkey: car\nfields: [fare]\n")
        let text = "ts,car,fare\n2026-01-01T00:00:00Z,a,10\n2026-01-01T00:05:00Z,b,12\n"
        let csv = try dir.write("trips.csv", text)
        let imported = try CLIRunner.run(["archive", "import", "--archive", archive, "--stream", "taxi", "--spec", spec, csv, "--json"])
        Self.expectQuiet(imported, tasks: ["importing \(csv)"])
        #expect(imported.stderr.contains("total=\(text.utf8.count)") && imported.stderr.contains("bytes=\(text.utf8.count)"),
            "the file's size is the total, and all of it was read: \(imported.stderr)")

        let train = try CLIRunner.run([
            "train", "--archive", archive, "--stream", "meters", "--name", "m", "--output", dir.path("m.h5"), "--json",
        ])
        Self.expectQuiet(train, tasks: ["reading meters", "fitting isolation-forest on 1152 rows"])
        #expect(train.stderr.contains("rows=1152"))
    }

    @Test func textOutputOffATerminalLogsToo() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let sim = try CLIRunner.run(["simulate", "--archive", dir.path("archive"), "--series", "2", "--days", "1"])
        #expect(sim.status == 0)
        #expect(!sim.stderr.contains(Self.escape))
        #expect(sim.stderr.contains("simulating meters: started"))
        #expect(sim.stdout.hasPrefix("simulated 576 events"))
    }

    @Test func forcedOnTheBarIsDrawnAndCleared() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let sim = try CLIRunner.run(
            ["simulate", "--archive", dir.path("archive"), "--series", "2", "--days", "1"], environment: ["FOREWARN_PROGRESS": "1"])
        #expect(sim.status == 0, "\(sim.stderr)")
        // The first draw comes as the task starts, so even a short run shows one, with its percent.
        #expect(sim.stderr.contains("\rsimulating meters  ["), "\(sim.stderr.debugDescription)")
        #expect(sim.stderr.contains("%  ") && sim.stderr.contains("/576 events"))
        #expect(sim.stderr.hasSuffix("\r\u{1B}[K"), "the line is cleared at the end")
        #expect(!sim.stderr.contains(": started"), "a bar, not log lines")
        #expect(sim.stdout.hasPrefix("simulated 576 events"), "stdout has no escape codes either")
    }

    @Test func forecastBenchLogsItsPhasesAndKeepsJSONPure() throws {
        let r = try CLIRunner.run(["bench", "forecast", "--series", "6", "--days", "3", "--accuracy-series", "0", "--json"])
        Self.expectQuiet(r, tasks: ["simulating 6 meters for 4 days", "fitting on 5184 rows", "warming up and scoring"])
    }

    /// The whole demo loop on a few meters: its steps on stdout, its progress as log lines on stderr.
    @Test func demoRunsTheLoopAndLogsItsProgress() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let r = try CLIRunner.run(["demo", "--dir", dir.path("demo"), "--series", "4", "--days", "3"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.stderr.contains(Self.escape))
        for task in ["simulating", "reading meters", "predictions of the live day"] {
            #expect(r.stderr.contains("\(task): started") && r.stderr.contains("\(task): done"), "\(task): \(r.stderr)")
        }
        #expect(r.stderr.contains("total=2304 unit=predictions"), "two models x 4 meters x 288 steps: \(r.stderr)")
        #expect(r.stdout.contains("summary") && r.stdout.contains("0 dead-lettered"), "\(r.stdout)")
        #expect(!r.stdout.contains(Self.escape))
    }
}
