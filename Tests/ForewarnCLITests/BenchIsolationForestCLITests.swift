import Foundation
import Testing

@Suite struct BenchIsolationForestCLITests {
    /// 300 rows on a line with 12 far-off points labelled as anomalies.
    private func labelledCSV(_ dir: TempDir) throws -> String {
        var lines = ["f0,f1,label"]
        for i in 0..<300 { lines.append("\(Double(i) * 0.01),\(Double(i) * 0.02),0") }
        for i in 0..<12 { lines.append("\(40.0 + Double(i)),\(-30.0 - Double(i)),1") }
        return try dir.write("line.csv", lines.joined(separator: "\n") + "\n")
    }

    @Test func jsonReportsEverySeedAndTheTreeCount() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let csv = try labelledCSV(dir)
        let r = try CLIRunner.run([
            "bench", "isolation-forest", "--input", csv, "--seeds", "3", "--trees", "20", "--repeats", "1", "--json",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let json = jsonObject(r.stdout)
        let bySeed = try #require(json["auc_by_seed"] as? [Double])
        #expect(bySeed.count == 3)
        #expect(json["trees"] as? Int == 20)
        let mean = try #require(json["auc_mean"] as? Double)
        #expect(abs(mean - bySeed.reduce(0, +) / 3) < 1e-12)
        #expect(mean > 0.95, "far-off points must rank first: \(bySeed)")
        #expect(json["auc_std"] as? Double != nil)
    }

    @Test func widthsBenchGeneratedSetsOfThoseWidths() throws {
        let r = try CLIRunner.run([
            "bench", "isolation-forest", "--widths", "3,40", "--rows", "600", "--seeds", "2", "--trees", "20",
            "--repeats", "1", "--json",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = r.stdout.split(separator: "\n").map { jsonObject(String($0)) }
        #expect(rows.map { $0["cols"] as? Int } == [3, 40])
        #expect(rows.map { $0["data"] as? String } == ["gauss-3", "gauss-40"])
        for row in rows {
            #expect(row["rows"] as? Int == 600)
            let auc = try #require(row["auc_mean"] as? Double)
            #expect(auc > 0.6, "planted outliers must rank high: \(row)")
        }
        let bad = try CLIRunner.run(["bench", "isolation-forest", "--widths", "3,zero"])
        #expect(bad.status != 0 && bad.stderr.contains("--widths"))
    }
}
