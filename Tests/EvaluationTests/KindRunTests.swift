import Evaluation
import Foundation
import ModelKinds
import Testing

@Suite struct KindRunTests {
    /// Two weeks of a daily cycle at five minutes, then a day with a jump to four times the level at noon.
    static func meterCase() -> DetectionCase {
        let perDay = 288, n = 15 * perDay
        var values = (0..<n).map { i in 10 + 3 * sin(2 * Double.pi * Double(i % perDay) / Double(perDay)) + 0.1 * sin(Double(i) * 1.7) }
        let spike = 14 * perDay + 144
        values[spike] *= 4
        let series = LabelledSeries(
            name: "meter", fieldNames: ["kwh"], time: (0..<n).map { 1_577_836_800_000 + Int64($0) * 300_000 },
            fields: [values], labels: (0..<n).map { $0 == spike })
        return DetectionCase(
            set: "toy", name: "meter", split: .leadingRows(14 * perDay), train: series.rows(0..<(14 * perDay)),
            test: series.rows((14 * perDay)..<n))
    }

    @Test func theForestScoresEveryTestRowAndFlagsTheJump() throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let c = Self.meterCase()
        let run = try KindRun.run(IsolationForestKind(), on: c, batchEvents: 100, scratch: folder.path)
        #expect(run.scores.count == c.test.count && run.flags.count == c.test.count && run.unscored == 0)
        #expect(run.flags[144], "\(run.scores[144]) \(run.fitMetrics) \(run.scores.sorted().suffix(5))")
        #expect(run.scores[144] == run.scores.max())
        #expect(run.fitLines.contains { $0.contains("hourly profile: autocorrelation") }, "the bench reports what the fit chose: \(run.fitLines)")
    }

    /// Whatever the forecaster's defaults do with this series, the run answers every test row or throws: it never crashes.
    @Test func theForecasterAnswersEveryRowOrRefuses() throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        let c = Self.meterCase()
        if let run = try? KindRun.run(SeasonalForecasterKind(), on: c, batchEvents: 7, scratch: folder.path) {
            #expect(run.scores.count == c.test.count && run.flags.count == c.test.count)
        }
    }

    @Test func aPythonThatIsNotThereIsAClearError() throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        #expect {
            _ = try ReferenceChild(python: "/nonexistent/python3", scratch: folder.path)
        } throws: { error in
            "\(error)".contains("--python") && "\(error)".contains("pip install")
        }
    }
}
