import EventArchive
import Foundation

/// A plot area in inline SVG with real axes: ticks at round numbers (or round times, in UTC), labels, and
/// a title per axis. Charts draw in data coordinates through `x` and `y`; everything is escaped text.
struct SVGPlot {
    let width = 720.0, height = 260.0
    let left = 64.0, right = 16.0, top = 14.0, bottom = 44.0
    let xRange: ClosedRange<Double>
    let yRange: ClosedRange<Double>
    private(set) var body = ""

    init(x: ClosedRange<Double>, y: ClosedRange<Double>) {
        xRange = x.lowerBound < x.upperBound ? x : (x.lowerBound - 0.5)...(x.lowerBound + 0.5)
        yRange = y.lowerBound < y.upperBound ? y : (y.lowerBound - 0.5)...(y.lowerBound + 0.5)
    }

    func x(_ v: Double) -> Double {
        left + (v - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) * (width - left - right)
    }

    func y(_ v: Double) -> Double {
        height - bottom - (v - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound) * (height - top - bottom)
    }

    mutating func add(_ element: String) { body += element }

    /// Axes with the given ticks (value, label) and axis titles.
    mutating func axes(x ticksX: [(Double, String)], y ticksY: [(Double, String)], xTitle: String, yTitle: String) {
        let x0 = left, x1 = width - right, y0 = height - bottom, y1 = top
        var s = "<g class='axes' font-size='11' fill='#333'>"
        for (v, label) in ticksY {
            let py = y(v)
            s += String(format: "<line x1='%.1f' x2='%.1f' y1='%.1f' y2='%.1f' stroke='#e3e3e3'/>", x0, x1, py, py)
            s += String(format: "<text x='%.1f' y='%.1f' text-anchor='end'>", x0 - 6, py + 4) + Self.escape(label) + "</text>"
        }
        for (v, label) in ticksX {
            let px = x(v)
            s += String(format: "<line x1='%.1f' x2='%.1f' y1='%.1f' y2='%.1f' stroke='#999'/>", px, px, y0, y0 + 5)
            s += String(format: "<text x='%.1f' y='%.1f' text-anchor='middle'>", px, y0 + 18) + Self.escape(label) + "</text>"
        }
        s += String(format: "<line x1='%.1f' x2='%.1f' y1='%.1f' y2='%.1f' stroke='#666'/>", x0, x1, y0, y0)
        s += String(format: "<line x1='%.1f' x2='%.1f' y1='%.1f' y2='%.1f' stroke='#666'/>", x0, x0, y0, y1)
        s += String(format: "<text x='%.1f' y='%.1f' text-anchor='middle' class='x-title'>", (x0 + x1) / 2, height - 6)
            + Self.escape(xTitle) + "</text>"
        s += String(format: "<text transform='translate(14 %.1f) rotate(-90)' text-anchor='middle' class='y-title'>", (y0 + y1) / 2)
            + Self.escape(yTitle) + "</text></g>"
        body = s + body
    }

    /// Polyline points of (x, y) in data units, one polyline per run of finite values.
    func lines(_ points: [(Double, Double)], stroke: String, width w: Double = 1.2) -> String {
        var out = "", run: [String] = []
        func flush() {
            if run.count > 1 {
                out += "<polyline points='\(run.joined(separator: " "))' fill='none' stroke='\(stroke)' stroke-width='\(w)'/>"
            }
            run = []
        }
        for (a, b) in points {
            if a.isFinite && b.isFinite { run.append(String(format: "%.1f,%.1f", x(a), y(b))) } else { flush() }
        }
        flush()
        return out
    }

    var svg: String {
        "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 \(Int(width)) \(Int(height))' width='\(Int(width))' "
            + "height='\(Int(height))' role='img' font-family='system-ui,sans-serif'>\(body)</svg>"
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "'", with: "&#39;")
    }
}

/// Where axis ticks go and what they say.
enum PlotTicks {
    /// About `count` ticks at 1, 2 or 5 × a power of ten covering `range`.
    static func values(_ range: ClosedRange<Double>, count: Int = 5) -> [(Double, String)] {
        let span = range.upperBound - range.lowerBound
        guard span > 0, span.isFinite else { return [(range.lowerBound, number(range.lowerBound))] }
        let raw = span / Double(max(1, count)), power = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= raw } ?? 10 * power
        var out: [(Double, String)] = []
        var v = ceil(range.lowerBound / step) * step
        while v <= range.upperBound + step * 1e-9 {
            out.append((v, number(abs(v) < step * 1e-9 ? 0 : v)))
            v += step
        }
        return out
    }

    /// Short, exact enough: 0.035, 232, 1.2k, 3.4M.
    static func number(_ v: Double) -> String {
        let a = abs(v)
        if a >= 1e6 { return String(format: "%.3gM", v / 1e6) }
        if a >= 1e4 { return String(format: "%.3gk", v / 1e3) }
        return String(format: "%.4g", v)
    }

    static let timeSteps: [Int64] = [
        60_000, 300_000, 900_000, 1_800_000, 3_600_000, 3 * 3_600_000, 6 * 3_600_000, 12 * 3_600_000, 86_400_000,
        2 * 86_400_000, 7 * 86_400_000, 14 * 86_400_000, 28 * 86_400_000,
    ]

    /// About `count` ticks at round UTC times in [from, to] (epoch ms): `HH:mm`, with the date where a day starts.
    static func times(from: Int64, to: Int64, count: Int = 6) -> [(Double, String)] {
        guard to > from else { return [(Double(from), label(from, withDate: true))] }
        let step = timeSteps.first { (to - from) / $0 <= Int64(count) } ?? timeSteps.last!
        var out: [(Double, String)] = []
        var t = (from + step - 1) / step * step
        while t <= to {
            out.append((Double(t), label(t, withDate: step >= 86_400_000 || t % 86_400_000 == 0)))
            t += step
        }
        return out
    }

    /// `01-14 06:00` or `06:00`, UTC, from the archive's own time format.
    static func label(_ t: Int64, withDate: Bool) -> String {
        let text = EventTime.format(t)  // 2026-01-14T06:00:00.000Z
        let date = text.dropFirst(5).prefix(5), clock = text.dropFirst(11).prefix(5)
        return withDate ? "\(date) \(clock)" : String(clock)
    }
}
