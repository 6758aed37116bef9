import Foundation
import Testing

@Suite struct BenchForecastCLITests {
    @Test func rollingOptionsNeedRollingAndTheirRanges() throws {
        let alone = try CLIRunner.run(["bench", "forecast", "--origins", "3"])
        #expect(alone.status != 0 && alone.stderr.contains("--origins needs --rolling"), "\(alone.stderr)")
        let noRefs = try CLIRunner.run(["bench", "forecast", "--no-references"])
        #expect(noRefs.status != 0 && noRefs.stderr.contains("--no-references needs --rolling"), "\(noRefs.stderr)")
        let set = try CLIRunner.run(["bench", "forecast", "--rolling", "--sets", "smd,nope"])
        #expect(set.status != 0 && set.stderr.contains("unknown set 'nope'"), "\(set.stderr)")
        let origins = try CLIRunner.run(["bench", "forecast", "--rolling", "--origins", "0"])
        #expect(origins.status != 0 && origins.stderr.contains("--origins must be in 1...60"), "\(origins.stderr)")
        let python = try CLIRunner.run(["bench", "forecast", "--rolling", "--sets", "meters", "--python", "/nonexistent/python"])
        #expect(python.status != 0 && python.stderr.contains("venv"), "\(python.stderr)")
    }

    @Test func rollingOnMetersWithoutReferencesReportsForewarn() throws {
        let r = try CLIRunner.run([
            "bench", "forecast", "--rolling", "--sets", "meters", "--meters", "3", "--max-series", "1", "--origins", "2",
            "--no-references", "--json",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map { jsonObject(String($0)) }
        let figures = lines.filter { $0["type"] as? String == "figures" }
        #expect(figures.map { $0["set"] as? String } == ["meters", "mean"])
        #expect(figures.allSatisfy { $0["method"] as? String == "forewarn" && $0["origins"] as? Int == 2 })
        let mase = try #require(figures.first?["mase"] as? Double)
        #expect(mase > 0 && mase < 2)
    }
}
