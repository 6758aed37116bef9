import Foundation
import ModelKinds

/// `report.html` beside a registered version: one self-contained page (inline
/// SVG, no scripts, no external assets) that says what the version was trained
/// on and how it did.
public struct TrainingReport: Sendable {
    public var title: String
    public var facts: [(String, String)] = []
    var sections: [String] = []

    public init(title: String) { self.title = title }

    /// Renders a section a model kind described.
    public mutating func add(_ section: ReportSection) {
        switch section {
        case .table(let heading, let header, let rows): table(heading, header, rows)
        case .histogram(let heading, let values, let threshold, let note):
            sections.append(ReportCharts.histogram(heading, values, threshold: threshold, note: note))
        case .timeSeries(let heading, let unit, let time, let actual, let forecast, let lower, let upper, let flagged):
            sections.append(
                ReportCharts.timeSeries(
                    heading, unit: unit, time: time, actual: actual, forecast: forecast, lower: lower, upper: upper,
                    flagged: flagged))
        case .scoreHistogram(let heading, let axis, let values, let flagged):
            sections.append(ReportCharts.scoreHistogram(heading, axis: axis, values: values, flagged: flagged))
        }
    }

    public mutating func table(_ heading: String, _ header: [String], _ rows: [[String]]) {
        var h = "<h2>\(escape(heading))</h2><table><tr>" + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr>"
        for row in rows { h += "<tr>" + row.map { "<td>\(escape($0))</td>" }.joined() + "</tr>" }
        sections.append(h + "</table>")
    }

    public var html: String {
        let rows = facts.map { "<tr><th>\(escape($0.0))</th><td>\(escape($0.1))</td></tr>" }.joined()
        return """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title>
            <style>body{font:14px system-ui,sans-serif;margin:2em;max-width:60em}table{border-collapse:collapse;margin:.5em 0}
            th,td{border:1px solid #ccc;padding:.2em .6em;text-align:left}h2{margin-top:1.5em;font-size:1.1em}
            .legend{color:#555;font-size:12px}</style></head>
            <body><h1>\(escape(title))</h1><table>\(rows)</table>\(sections.joined(separator: "\n"))</body></html>
            """
    }

    public func write(to path: String) throws { try html.write(toFile: path, atomically: true, encoding: .utf8) }

    private func escape(_ s: String) -> String { SVGPlot.escape(s) }
}
