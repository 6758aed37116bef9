import Foundation

/// The report's charts as HTML fragments (a heading, an inline SVG with axes, a legend line).
enum ReportCharts {
    static func heading(_ text: String) -> String { "<h2>\(SVGPlot.escape(text))</h2>" }

    /// A series against its forecast and band, flagged events as red dots (each with its time and value).
    static func timeSeries(
        _ title: String, unit: String, time: [Int64], actual: [Double], forecast: [Double]?, lower: [Double]?,
        upper: [Double]?, flagged: [Bool]
    ) -> String {
        guard let t0 = time.min(), let t1 = time.max() else { return "" }
        let all = (actual + (forecast ?? []) + (lower ?? []) + (upper ?? [])).filter(\.isFinite)
        guard let lo = all.min(), let hi = all.max() else { return "" }
        let pad = (hi - lo) * 0.05
        var plot = SVGPlot(x: Double(t0)...Double(t1), y: (lo - pad)...(hi + pad))
        let xs = time.map(Double.init)
        if let lower, let upper {
            // The band, one polygon per run of rows that have both edges.
            var run: [Int] = []
            func flush() {
                if run.count > 1 {
                    let edge = run.map { String(format: "%.1f,%.1f", plot.x(xs[$0]), plot.y(upper[$0])) }
                        + run.reversed().map { String(format: "%.1f,%.1f", plot.x(xs[$0]), plot.y(lower[$0])) }
                    plot.add("<polygon class='band' points='\(edge.joined(separator: " "))' fill='#cfe0f3'/>")
                }
                run = []
            }
            for i in time.indices { if lower[i].isFinite && upper[i].isFinite { run.append(i) } else { flush() } }
            flush()
        }
        if let forecast { plot.add(plot.lines(Array(zip(xs, forecast)), stroke: "#4a7ab5", width: 1.5)) }
        plot.add(plot.lines(Array(zip(xs, actual)), stroke: "#222", width: 1))
        var marked = 0
        for i in time.indices where flagged[i] && actual[i].isFinite {
            marked += 1
            plot.add(
                String(format: "<circle class='flag' cx='%.1f' cy='%.1f' r='3.5' fill='#c0392b'>", plot.x(xs[i]), plot.y(actual[i]))
                    + "<title>\(PlotTicks.label(time[i], withDate: true)) UTC: \(PlotTicks.number(actual[i]))</title></circle>")
        }
        plot.axes(
            x: PlotTicks.times(from: t0, to: t1), y: PlotTicks.values(plot.yRange), xTitle: "time (UTC)", yTitle: unit)
        let legend = "black: actual"
            + (forecast != nil ? "; blue: forecast; shaded: its prediction band" : "") + "; red dots: flagged events (\(marked))"
        return heading(title) + plot.svg + "<p class='legend'>\(SVGPlot.escape(legend))</p>"
    }

    /// Counts of `values` in 40 bins on a log scale of counts, flagged events in red.
    static func scoreHistogram(_ title: String, axis: String, values: [Double], flagged: [Bool]) -> String {
        let finite = values.indices.filter { values[$0].isFinite }
        guard let lo = finite.map({ values[$0] }).min(), let hi = finite.map({ values[$0] }).max() else { return "" }
        let bins = 40, width = max(hi - lo, 1e-9) / Double(bins)
        var normal = [Int](repeating: 0, count: bins), marked = normal
        for i in finite {
            let b = min(bins - 1, Int((values[i] - lo) / width))
            if flagged[i] { marked[b] += 1 } else { normal[b] += 1 }
        }
        let top = log10(Double(max(1, (0..<bins).map { normal[$0] + marked[$0] }.max() ?? 1)) + 1)
        var plot = SVGPlot(x: lo...(lo + width * Double(bins)), y: 0...max(top, 1))
        func bar(_ b: Int, from: Int, count: Int, color: String) {
            guard count > 0 else { return }
            let y0 = log10(Double(from) + 1), y1 = log10(Double(from + count) + 1)
            let x0 = plot.x(lo + Double(b) * width), x1 = plot.x(lo + Double(b + 1) * width)
            plot.add(
                String(format: "<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='%@'>", x0, plot.y(y1), max(0.5, x1 - x0 - 1), plot.y(y0) - plot.y(y1), color)
                    + "<title>\(count) events</title></rect>")
        }
        for b in 0..<bins {
            bar(b, from: 0, count: normal[b], color: "#4a7ab5")
            bar(b, from: normal[b], count: marked[b], color: "#c0392b")
        }
        let yTicks = (0...Int(ceil(top))).map { (log10(pow(10, Double($0)) + 1), PlotTicks.number(pow(10, Double($0)))) }
            .filter { $0.0 <= plot.yRange.upperBound }
        plot.axes(x: PlotTicks.values(plot.xRange), y: yTicks, xTitle: axis, yTitle: "events (log scale)")
        let flaggedCount = finite.filter { flagged[$0] }.count
        return heading(title) + plot.svg
            + "<p class='legend'>\(finite.count) events scored; red: the \(flaggedCount) flagged. Further right is rarer.</p>"
    }

    /// A histogram of `values` in [0, 1] with a vertical line at `threshold`, counts on the y axis.
    static func histogram(_ title: String, _ values: [Double], threshold: Double?, note: String) -> String {
        let bins = 50
        var counts = [Int](repeating: 0, count: bins)
        for v in values where v.isFinite { counts[min(bins - 1, max(0, Int(v * Double(bins))))] += 1 }
        let top = Double(max(counts.max() ?? 1, 1))
        var plot = SVGPlot(x: 0...1, y: 0...(top * 1.05))
        for (i, c) in counts.enumerated() where c > 0 {
            let x0 = plot.x(Double(i) / Double(bins)), x1 = plot.x(Double(i + 1) / Double(bins))
            plot.add(
                String(format: "<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='#4a7ab5'>", x0, plot.y(Double(c)), x1 - x0 - 1, plot.y(0) - plot.y(Double(c)))
                    + "<title>\(c) rows</title></rect>")
        }
        if let t = threshold {
            plot.add(
                String(format: "<line class='threshold' x1='%.1f' x2='%.1f' y1='%.1f' y2='%.1f' stroke='#c0392b' stroke-width='2'/>", plot.x(t), plot.x(t), plot.y(0), plot.y(top * 1.05))
                    + String(format: "<text x='%.1f' y='%.1f' fill='#c0392b' font-size='12'>threshold %.3f</text>", plot.x(t) + 4, plot.y(top), t))
        }
        plot.axes(x: PlotTicks.values(0...1), y: PlotTicks.values(0...(top * 1.05)), xTitle: "score", yTitle: "rows")
        return heading(title) + plot.svg + "<p class='legend'>\(SVGPlot.escape(note))</p>"
    }
}
