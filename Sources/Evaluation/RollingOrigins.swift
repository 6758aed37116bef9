import Foundation

/// Where a series is forecast from in the rolling-origin bench: its cadence, the last `count` UTC day
/// boundaries each followed by a whole day of the series, and the history before the first; or why the
/// series cannot be evaluated.
public struct RollingOrigins: Sendable, Equatable {
    public static let day: Int64 = 86_400_000

    /// The series' cadence: the median positive spacing of its events, in ms.
    public var cadenceMs: Int64
    /// Epoch ms of the origins, one day apart, oldest first.
    public var origins: [Int64]

    /// Cells of a day at the cadence.
    public var steps: Int { Int(Self.day / cadenceMs) }

    /// The origins of `time` (epoch ms, increasing), each with at least `minimumHistoryMs` of the series
    /// before the first. Throws a `RollingSkip` that says why there are none.
    public init(time: [Int64], count: Int, minimumHistoryMs: Int64) throws(RollingSkip) {
        precondition(count >= 1, "at least one origin")
        guard let first = time.first, let last = time.last, let cadence = Self.medianSpacing(time) else {
            throw RollingSkip("no cadence", "\(time.count) event(s) at \(Set(time).count) distinct time(s)")
        }
        guard cadence <= Self.day, Self.day % cadence == 0 else {
            throw RollingSkip("cadence", "\(Self.duration(cadence)) does not divide a day")
        }
        let end = last + cadence
        let lastOrigin = Self.floorDay(end) - Self.day
        let firstOrigin = lastOrigin - Int64(count - 1) * Self.day
        let needed = Int64(count) * Self.day + minimumHistoryMs
        guard firstOrigin - first >= minimumHistoryMs else {
            throw RollingSkip(
                "too short", "spans \(Self.duration(end - first)) at \(Self.duration(cadence)): \(count) daily origin(s) after "
                    + "\(Self.duration(minimumHistoryMs)) of history need about \(Self.duration(needed))")
        }
        cadenceMs = cadence
        origins = (0..<count).map { firstOrigin + Int64($0) * Self.day }
    }

    /// The median positive spacing of increasing times, nil with fewer than two distinct times.
    static func medianSpacing(_ time: [Int64]) -> Int64? {
        var gaps = zip(time.dropFirst(), time).map { $0 - $1 }.filter { $0 > 0 }
        guard !gaps.isEmpty else { return nil }
        gaps.sort()
        return gaps[gaps.count / 2]
    }

    /// The UTC midnight at or before `t`.
    static func floorDay(_ t: Int64) -> Int64 {
        let r = t % day
        return r >= 0 ? t - r : t - r - day
    }

    /// A span in the largest whole unit it fills: `3 d`, `2.6 h`, `45 s`.
    static func duration(_ ms: Int64) -> String {
        let units: [(Int64, String)] = [(86_400_000, "d"), (3_600_000, "h"), (60_000, "min"), (1000, "s"), (1, "ms")]
        let (size, name) = units.first { ms >= $0.0 } ?? (1, "ms")
        let value = Double(ms) / Double(size)
        return value == value.rounded() ? "\(Int64(value)) \(name)" : "\(String(format: "%.1f", value)) \(name)"
    }
}
