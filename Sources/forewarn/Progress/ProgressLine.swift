import Basics
import Foundation

/// The text of the progress line a terminal shows, as pure functions of the numbers, so its
/// layout is tested without a terminal and without waiting.
///
///     reading meters  [########------------]  41%  1.2M/2.9M rows  3.1 s elapsed, 4.4 s left
///     fitting isolation-forest  12 s elapsed
///
/// Time left is the rate so far carried over the rest (no guess before the first unit is done).
enum ProgressLine {
    /// What is drawn: the task, how far it got, for how long.
    struct Snapshot {
        var task: String
        var done: Int
        var total: Int?
        var unit: ProgressUnit
        var elapsed: Double
    }

    /// Longest bar, in characters between the brackets; it shrinks on narrow terminals and is left out below 5.
    static let barWidth = 20

    /// The whole line, at most `width - 1` characters (the last column would wrap on some terminals).
    /// The numbers are padded to the width they will keep (the count to the total's, times to 5
    /// characters, room kept for the time left before it is known), so the bar does not change
    /// width as the task runs.
    static func render(_ s: Snapshot, width: Int) -> String {
        let room = max(10, width - 1)
        var tail: [String] = []
        var fraction: Double?
        var reserve = 0
        if let total = s.total {
            let f = total > 0 ? min(1, max(0, Double(s.done) / Double(total))) : 1
            fraction = f
            tail.append(percent(f))
            tail.append(padded(count(s.done, s.unit), to: count(total, s.unit).count) + "/" + amount(total, s.unit))
            let elapsed = padded(duration(s.elapsed), to: 5)
            if let left = remaining(done: s.done, total: total, elapsed: s.elapsed) {
                tail.append("\(elapsed) elapsed, \(padded(duration(left), to: 5)) left")
            } else {
                tail.append("\(elapsed) elapsed")
                reserve = ", \(elapsed) left".count
            }
        } else {
            if s.done > 0 {
                tail.append(amount(s.done, s.unit))
                if let r = rate(done: s.done, elapsed: s.elapsed) { tail.append(amount(r, s.unit) + "/s") }
            }
            tail.append("\(duration(s.elapsed)) elapsed")
        }
        let rest = "  " + tail.joined(separator: "  ")
        var task = s.task
        var barText = ""
        if let fraction {
            let inner = min(barWidth, room - task.count - rest.count - reserve - 4)
            if inner >= 5 { barText = "  " + bar(fraction, width: inner) }
        }
        if task.count + barText.count + rest.count > room {
            let keep = room - barText.count - rest.count
            task = keep >= 4 ? String(task.prefix(keep - 1)) + "…" : task
        }
        return String((task + barText + rest).prefix(room))
    }

    /// `text` right-aligned in `width` characters (never cut).
    static func padded(_ text: String, to width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }

    /// `[####----]`: `width` characters between the brackets, filled by `fraction` (0...1), rounded down.
    static func bar(_ fraction: Double, width: Int) -> String {
        let filled = min(width, max(0, Int(fraction * Double(width))))
        return "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "]"
    }

    /// Whole percent, rounded down, so 100% means done; padded to four characters to keep the line still.
    static func percent(_ fraction: Double) -> String {
        let p = "\(min(100, max(0, Int(fraction * 100))))%"
        return String(repeating: " ", count: max(0, 4 - p.count)) + p
    }

    /// A count in three significant figures at most: 950, 1.2k, 45k, 1.2M, 290M; bytes as 1.2 MB (powers of 1000).
    static func count(_ n: Int, _ unit: ProgressUnit) -> String {
        let prefixes = unit.isBytes ? [" B", " kB", " MB", " GB", " TB"] : ["", "k", "M", "G", "T"]
        var v = Double(n), u = 0
        while abs(v) >= 999.5, u < prefixes.count - 1 {
            v /= 1000
            u += 1
        }
        if u == 0 { return "\(n)" + prefixes[0] }
        return String(format: abs(v) < 9.95 ? "%.1f" : "%.0f", v) + prefixes[u]
    }

    /// A count with its unit: 1.2M rows, 1.2 MB (the byte prefix is the unit).
    static func amount(_ n: Int, _ unit: ProgressUnit) -> String {
        unit.isBytes ? count(n, unit) : "\(count(n, unit)) \(unit.name)"
    }

    /// 3.1 s, 42 s, 2 min 05 s, 1 h 02 min.
    static func duration(_ seconds: Double) -> String {
        let s = max(0, seconds)
        if s < 9.95 { return String(format: "%.1f s", s) }
        let whole = Int(s.rounded())
        if whole < 60 { return "\(whole) s" }
        if whole < 3600 { return String(format: "%d min %02d s", whole / 60, whole % 60) }
        return String(format: "%d h %02d min", whole / 3600, whole % 3600 / 60)
    }

    /// Seconds left at the rate so far; nil before anything is done.
    static func remaining(done: Int, total: Int, elapsed: Double) -> Double? {
        guard done > 0, elapsed > 0 else { return nil }
        return elapsed * Double(max(0, total - done)) / Double(done)
    }

    /// Units a second so far; nil before a tenth of a second has passed (the first figure would be noise).
    static func rate(done: Int, elapsed: Double) -> Int? {
        guard elapsed >= 0.1 else { return nil }
        return Int(Double(done) / elapsed)
    }
}
