import Evaluation
import Foundation
import Testing

/// HitRate@P% as the SMD paper defines it, and the shipped labels as the sets' README describes them.
@Suite struct InterpretationTests {
    @Test func hitRateCountsTheNamedMetricsAmongTheFirstPPercent() {
        let segments = [Interpretation.Segment(rows: 0...1, columns: ["a", "b"]), .init(rows: 5...5, columns: ["c"])]
        let ranking: (Int) -> [String]? = { row in row == 0 ? ["a", "c", "b"] : row == 1 ? ["c", "b", "a"] : row == 5 ? ["c"] : nil }
        // @100%: row 0 has a of {a, b} in its first 2 (0.5), row 1 has b (0.5), row 5 has c (1).
        let at100 = Interpretation.hitRate(segments, rows: 10, percent: 100, ranking: ranking)
        #expect(at100?.rows == 3 && abs(at100!.rate - 2.0 / 3) < 1e-12)
        // @150%: the first 3 of rows 0 and 1 hold both (1, 1); row 5 still takes its first 1.
        #expect(Interpretation.hitRate(segments, rows: 10, percent: 150, ranking: ranking)?.rate == 1)
        #expect(Interpretation.hitRate(segments, rows: 1, percent: 100, ranking: ranking)?.rows == 1, "rows past the test part are left out")
        #expect(Interpretation.hitRate(segments, rows: 10, percent: 100, ranking: { _ in nil }) == nil)
    }

    @Test func theSharedLabelsLoadForSMDAndASD() throws {
        let root = "../shared/benchmarks/timeseries"
        guard FileManager.default.fileExists(atPath: root) else { return }
        let smd = try #require(try Interpretation.load(folder: "\(root)/smd"))
        let first = try #require(smd.files["machine-1-2"]?.first)
        #expect(first.rows == 4629...4687 && first.columns == ["m8", "m9", "m10", "m12", "m14", "m17"])
        #expect(try Interpretation.load(folder: "\(root)/asd")?.files.count == 12)
        #expect(try Interpretation.load(folder: "\(root)/kpi") == nil)
    }
}
