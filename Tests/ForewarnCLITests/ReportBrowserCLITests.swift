import Foundation
import Testing

/// A training report as a user sees it: opened in a real browser, its plots render with axes and the
/// flagged points marked. The screenshots are kept in .build/screenshots for a person to look at.
@Suite(.serialized, .enabled(if: HeadlessBrowser.enabled)) struct ReportBrowserCLITests {
    static let screenshots = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build/screenshots")

    @Test(arguments: ["forecast", "isolation-forest"])
    func theReportRendersItsPlotsWithAxesAndFlaggedPoints(kind: String) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("forewarn-browser-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let sim = try CLIRunner.run(
            ["simulate", "--archive", "a", "--stream", "meters", "--series", "6", "--days", "4", "--seed", "5", "--anomaly-rate", "0.01"],
            in: dir)
        #expect(sim.status == 0, "\(sim.stderr)")
        let train = try CLIRunner.run(
            ["train", "--archive", "a", "--stream", "meters", "--registry", "reg", "--name", "m", "--model", kind, "--promote"]
                + (kind == "forecast" ? ["--param", "period=1d"] : []),
            in: dir)
        #expect(train.status == 0, "\(train.stderr)")
        let report = try CLIRunner.run(["models", "report", "m", "--registry", "reg"], in: dir)
        let path = report.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let page = URL(fileURLWithPath: path.hasPrefix("/") ? path : dir.appendingPathComponent(path).path)

        let dom = try HeadlessBrowser.dom(page)
        #expect(dom.contains("<svg") && dom.contains("time (UTC)") && dom.contains("Top anomalies"))
        let flags = dom.components(separatedBy: "class=\"flag\"").count - 1
        #expect(flags > 0, "no flagged point in the rendered chart")

        try FileManager.default.createDirectory(at: Self.screenshots, withIntermediateDirectories: true)
        let png = Self.screenshots.appendingPathComponent("report-\(kind).png")
        try HeadlessBrowser.screenshot(page, to: png)
        // Red: flagged points and bars; dark grey: the actual line and the axis text; light blue: the band.
        let counts = try HeadlessBrowser.pixels(png, colours: ["c0392b", "222222", "cfe0f3"])
        #expect(counts["c0392b", default: 0] > 30, "red pixels: \(counts)")
        #expect(counts["222222", default: 0] > 500, "dark pixels: \(counts)")
        if kind == "forecast" { #expect(counts["cfe0f3", default: 0] > 2_000, "band pixels: \(counts)") }
    }
}
