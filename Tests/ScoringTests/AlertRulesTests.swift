import Foundation
import Testing

@testable import Scoring

/// The shipped alert rules name only metrics the scorer exports and link to runbook sections that exist
/// (promtool checks and tests them in `ShippedJobsCLITests`).
@Suite struct AlertRulesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let rules = root.appendingPathComponent("Jobs/monitoring/alerts.yaml").path

    @Test func rulesNameExportedMetricsAndExistingRunbooks() throws {
        let text = try String(contentsOfFile: Self.rules, encoding: .utf8)
        let metrics = Set(text.matches(of: /forewarn_[a-z_]+/).map { String($0.output) })
        #expect(!metrics.isEmpty)
        for name in metrics { #expect(MetricCatalog.entries[name] != nil, "\(name) is not a metric the scorer exports") }
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
