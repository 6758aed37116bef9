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
}
