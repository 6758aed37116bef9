import AnomalyModels
import EventArchive
import Foundation
import ModelKinds
import ModelRegistry
import Testing

@testable import Training

/// The training report answers "what was flagged, and why" without JSON: real axes, the flagged points, the
/// top anomalies with their explanations, and for the forest what drove its flags.
@Suite(.serialized) struct TrainingReportTests {
    @Test func ticksFallOnRoundNumbersAndRoundTimes() {
        #expect(PlotTicks.values(0...1).map(\.1) == ["0", "0.2", "0.4", "0.6", "0.8", "1"])
        #expect(PlotTicks.values(0.013...0.047).map(\.0).allSatisfy { ($0 * 200).rounded() == $0 * 200 })
        #expect(PlotTicks.number(12_345) == "12.3k" && PlotTicks.number(2_500_000) == "2.5M" && PlotTicks.number(0.0345) == "0.0345")
        let day: Int64 = 1_767_225_600_000  // 2026-01-01T00:00Z
        let ticks = PlotTicks.times(from: day, to: day + 86_400_000)
        #expect(ticks.map(\.1) == ["01-01 00:00", "06:00", "12:00", "18:00", "01-02 00:00"])
        #expect(PlotTicks.times(from: day + 7 * 60_000, to: day + 47 * 60_000).map(\.1) == ["00:15", "00:30", "00:45"])
    }

    /// The page of `name`'s version 1, trained on four simulated meters with many injected anomalies.
    static func page(kind: String, settings: [String] = []) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("forewarn-report-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let archive = dir.appendingPathComponent("archive").path
        _ = try Simulator(config: SimulationConfig(series: 4, days: 4, seed: 5, anomalyRate: 0.01))
            .simulate(into: URL(fileURLWithPath: archive))
        let registry = Registry(root: dir.appendingPathComponent("Models").path)
        var request = TrainingRequest(
            archive: archive, stream: "meters", name: "r", kind: try ModelKinds.standard.kind(named: kind),
            destination: .registry(registry, promoteTo: "production", reason: "test"))
        request.settings = settings
        _ = try Trainer.train(request)
        return try String(contentsOfFile: registry.root + "/r/versions/1/report.html", encoding: .utf8)
    }

    static func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    @Test func aForecasterReportShowsTheMostFlaggedSeriesWithItsBandAndTheTopAnomalies() throws {
        let html = try Self.page(kind: "forecast", settings: ["period=1d"])
        #expect(html.contains("What was flagged in the training window&#39;s last day") || html.contains("What was flagged in the training window's last day"))
        // The chart: a band, a forecast, time labels on the x axis, the field on the y axis, and one dot per flag it names.
        let chart = try #require(html.components(separatedBy: "<h2>").first { $0.contains("flagged)</h2>") && $0.contains("class='band'") })
        #expect(chart.contains("time (UTC)") && chart.contains("06:00"))
        #expect(chart.contains("class='y-title'>kwh<") || chart.contains("class='y-title'>voltage<"))
        let named = try #require(chart.firstMatch(of: /\((\d+) flagged\)<\/h2>/).map { Int($0.1)! })
        #expect(named > 0 && Self.count("class='flag'", in: chart) == named)
        // The distribution with the flagged ones apart, and the top anomalies with expected values and deviations.
        #expect(html.contains("−log10 tail probability") && html.contains("events (log scale)"))
        let top = try #require(html.components(separatedBy: "<h2>").first { $0.hasPrefix("Top anomalies") })
        #expect(top.contains("<th>expected</th>") && top.contains("<th>deviation (σ)</th>") && Self.count("<tr>", in: top) >= 2)
        #expect(!top.contains("<th>drivers</th>"))
        #expect(html.contains("Bands ahead") && html.contains("held-out 95% coverage"))
    }

    @Test func aForestReportSaysWhatDroveItsFlags() throws {
        let html = try Self.page(kind: "isolation-forest")
        #expect(html.contains("Training score distribution") && html.contains("threshold ") && html.contains(">rows<"))
        let drove = try #require(html.components(separatedBy: "<h2>").first { $0.hasPrefix("What drove the flags") })
        #expect(drove.contains("<td>kwh</td>") || drove.contains("<td>voltage</td>"))
        let top = try #require(html.components(separatedBy: "<h2>").first { $0.hasPrefix("Top anomalies") })
        #expect(top.contains("<th>drivers</th>") && !top.contains("<th>expected</th>"))
        #expect(!html.contains("http://") || html.components(separatedBy: "http://").dropFirst().allSatisfy { $0.hasPrefix("www.w3.org/2000/svg") })
    }
}
