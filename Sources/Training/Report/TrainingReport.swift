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
        case .histogram(let heading, let values, let threshold): histogram(heading, values, threshold: threshold)
        case .band(let heading, let actual, let forecast, let lower, let upper):
            band(heading, actual: actual, forecast: forecast, lower: lower, upper: upper)
        }
    }

    public mutating func table(_ heading: String, _ header: [String], _ rows: [[String]]) {
        var h = "<h2>\(escape(heading))</h2><table><tr>" + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr>"
        for row in rows { h += "<tr>" + row.map { "<td>\(escape($0))</td>" }.joined() + "</tr>" }
        sections.append(h + "</table>")
    }

    /// A histogram of `values` in [0, 1] with a vertical line at `threshold`.
    mutating func histogram(_ heading: String, _ values: [Double], threshold: Double?) {
        let bins = 50, w = 640.0, h = 200.0
        var counts = [Int](repeating: 0, count: bins)
        for v in values where v.isFinite { counts[min(bins - 1, max(0, Int(v * Double(bins))))] += 1 }
        let top = Double(max(counts.max() ?? 1, 1))
        var svg = "<svg xmlns='http://www.w3.org/2000/svg' width='\(Int(w))' height='\(Int(h) + 20)' role='img'>"
        for (i, c) in counts.enumerated() {
            let bh = Double(c) / top * h, x = Double(i) * w / Double(bins)
            svg += String(format: "<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='#4a7ab5'/>", x, h - bh, w / Double(bins) - 1, bh)
        }
        if let t = threshold {
            svg += String(format: "<line x1='%.1f' x2='%.1f' y1='0' y2='%.0f' stroke='#c0392b' stroke-width='2'/>", t * w, t * w, h)
            svg += String(format: "<text x='%.1f' y='12' fill='#c0392b' font-size='12'>threshold %.3f</text>", t * w + 4, t)
        }
        svg += "<text x='0' y='\(Int(h) + 15)' font-size='11'>0</text><text x='\(Int(w) - 10)' y='\(Int(h) + 15)' font-size='11'>1</text></svg>"
        sections.append("<h2>\(escape(heading))</h2>\(svg)<p>\(values.count) scores</p>")
    }

    /// Actual values against the forecast and its interval band, in time order.
    mutating func band(_ heading: String, actual: [Double], forecast: [Double], lower: [Double], upper: [Double]) {
        let n = actual.count
        guard n > 1 else { return }
        let all = (actual + forecast + lower + upper).filter(\.isFinite)
        guard let lo = all.min(), let hi = all.max(), hi > lo else { return }
        let w = 640.0, h = 220.0
        func x(_ i: Int) -> Double { Double(i) / Double(n - 1) * w }
        func y(_ v: Double) -> Double { h - (v - lo) / (hi - lo) * h }
        func path(_ v: [Double]) -> String {
            v.indices.filter { v[$0].isFinite }.map { String(format: "%.1f,%.1f", x($0), y(v[$0])) }.joined(separator: " ")
        }
        let upperPts = upper.indices.filter { upper[$0].isFinite }.map { String(format: "%.1f,%.1f", x($0), y(upper[$0])) }
        let lowerPts = lower.indices.reversed().filter { lower[$0].isFinite }.map { String(format: "%.1f,%.1f", x($0), y(lower[$0])) }
        var svg = "<svg xmlns='http://www.w3.org/2000/svg' width='\(Int(w))' height='\(Int(h))' role='img'>"
        svg += "<polygon points='\((upperPts + lowerPts).joined(separator: " "))' fill='#cfe0f3'/>"
        svg += "<polyline points='\(path(forecast))' fill='none' stroke='#4a7ab5' stroke-width='1.5'/>"
        svg += "<polyline points='\(path(actual))' fill='none' stroke='#222' stroke-width='1'/></svg>"
        sections.append("<h2>\(escape(heading))</h2>\(svg)<p>black: actual; blue: forecast; band: prediction interval</p>")
    }

    public var html: String {
        let rows = facts.map { "<tr><th>\(escape($0.0))</th><td>\(escape($0.1))</td></tr>" }.joined()
        return """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title>
            <style>body{font:14px system-ui,sans-serif;margin:2em;max-width:48em}table{border-collapse:collapse;margin:.5em 0}
            th,td{border:1px solid #ccc;padding:.2em .6em;text-align:left}h2{margin-top:1.5em;font-size:1.1em}</style></head>
            <body><h1>\(escape(title))</h1><table>\(rows)</table>\(sections.joined(separator: "\n"))</body></html>
            """
    }

    public func write(to path: String) throws { try html.write(toFile: path, atomically: true, encoding: .utf8) }

    private func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "'", with: "&#39;")
    }
}
