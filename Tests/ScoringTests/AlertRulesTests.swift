import Foundation
import Testing

@testable import Scoring

/// The shipped alert rules parse, fire when they should (promtool, Debian's `prometheus` package, which
/// `make deps` installs), name only metrics the scorer exports, and link to runbook sections that exist.
@Suite struct AlertRulesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let rules = root.appendingPathComponent("Jobs/monitoring/alerts.yaml").path
    static let ruleTests = root.appendingPathComponent("Jobs/monitoring/alerts.test.yaml").path

    static func promtool(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let path = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first { FileManager.default.isExecutableFile(atPath: $0) }
        let tool = try #require(path, "promtool is missing: install Debian's prometheus package (make deps does)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    @Test func promtoolChecksAndTestsTheRules() throws {
        let check = try Self.promtool(["check", "rules", Self.rules])
        #expect(check.status == 0 && check.output.contains("SUCCESS"), "\(check.output)")
        let test = try Self.promtool(["test", "rules", Self.ruleTests])
        #expect(test.status == 0 && test.output.contains("SUCCESS"), "\(test.output)")
    }

    @Test func rulesNameExportedMetricsAndExistingRunbooks() throws {
        let text = try String(contentsOfFile: Self.rules, encoding: .utf8)
        let metrics = Set(text.matches(of: /forewarn_[a-z_]+/).map { String($0.output) })
        #expect(!metrics.isEmpty)
        for name in metrics { #expect(ServeMetrics.help[name] != nil, "\(name) is not a metric the scorer exports") }
        let operations = try String(contentsOf: Self.root.appendingPathComponent("docs/operations.md"), encoding: .utf8)
        let anchors = Set(operations.split(separator: "\n").filter { $0.hasPrefix("## ") }.map { heading in
            String(heading.dropFirst(3).lowercased().compactMap { $0 == " " ? "-" : $0.isLetter || $0.isNumber || $0 == "-" ? $0 : nil })
        })
        let runbooks = text.matches(of: /runbook: docs\/operations\.md#([a-z0-9-]+)/).map { String($0.output.1) }
        #expect(runbooks.count >= 10)
        for anchor in runbooks { #expect(anchors.contains(anchor), "no section for runbook #\(anchor)") }
        for alert in ["ForewarnScorerDown", "ForewarnScorerMissing", "ForewarnSinkErrors", "ForewarnCassandraErrors", "ForewarnConsumerLagGrowing"] {
            #expect(text.contains("alert: \(alert)"))
        }
    }
}
