/// Counts of |error| / σ in narrow bins, so the bands ahead can be calibrated on every
/// forecast of every origin (a day ahead from each cell of the calibration window is
/// span² errors per target and fold, too many to keep) in a fixed few kilobytes.
///
/// A bin is an octave's 64th, read off the value's binary exponent and top mantissa bits
/// (no logarithm per value: there are millions), from 2⁻¹⁰ to 2¹⁷ (one bin below, the
/// last open). Bins are at most 1.6% wide and a quantile is read by rank inside its bin,
/// so it is within a fraction of a percent of the exact order statistic: far below the
/// sampling error of a 95% quantile of a few thousand errors.
struct ErrorHistogram: Equatable {
    static let subBins = 64
    static let lowestExponent = -10
    static let octaves = 27
    static let bins = octaves * subBins + 2

    private(set) var counts = [Int](repeating: 0, count: bins)
    private(set) var total = 0

    /// The bin holding `z` (≥ 0): 0 below 2⁻¹⁰, the last at or beyond 2¹⁷. The top 6 mantissa bits and the
    /// biased exponent above them, read in one shift, are the octave's 64th and the octave.
    @inline(__always)
    static func bin(_ z: Double) -> Int {
        let i = Int(truncatingIfNeeded: z.bitPattern >> UInt64(Double.significandBitCount - 6))
            - ((1023 + lowestExponent) << 6) + 1
        return i < 1 ? 0 : min(i, bins - 1)
    }

    /// The lower edge of bin `i` (0 for the first).
    static func edge(_ i: Int) -> Double {
        guard i > 0 else { return 0 }
        let octave = (i - 1) / subBins, sub = (i - 1) % subBins
        return Double(sign: .plus, exponent: octave + lowestExponent, significand: 1 + Double(sub) / Double(subBins))
    }

    mutating func add(_ z: Double) {
        counts[Self.bin(z)] += 1
        total += 1
    }

    /// Adds counts per bin (`bins` of them) gathered elsewhere, as a hot loop does into a flat buffer.
    mutating func add(counts more: UnsafeBufferPointer<Int>) {
        for i in 0..<Self.bins where more[i] > 0 {
            counts[i] += more[i]
            total += more[i]
        }
    }

    static func += (lhs: inout ErrorHistogram, rhs: ErrorHistogram) {
        for i in rhs.counts.indices where rhs.counts[i] > 0 { lhs.counts[i] += rhs.counts[i] }
        lhs.total += rhs.total
    }

    /// Bin `i`'s upper edge (the last, open, bin is given the width of an octave's 64th).
    private static func upper(_ i: Int) -> Double { i + 1 < bins ? edge(i + 1) : edge(i) * (1 + 1 / Double(subBins)) }

    /// The (`k` + 1)-th smallest value (k from 0), interpolated by rank inside its bin.
    func value(rank k: Int) -> Double {
        var below = 0
        for i in counts.indices where counts[i] > 0 {
            guard below + counts[i] > k else { below += counts[i]; continue }
            let within = (Double(k - below) + 0.5) / Double(counts[i])
            let lo = Self.edge(i)
            return lo + (Self.upper(i) - lo) * within
        }
        return Self.edge(Self.bins - 1)
    }

    /// The share of the values at most `z`, counting the bin holding `z` by where `z` falls in it.
    func share(atMost z: Double) -> Double {
        guard total > 0 else { return .nan }
        let b = Self.bin(z)
        let full = counts[..<b].reduce(0, +)
        let lo = Self.edge(b), part = min(1, max(0, (z - lo) / (Self.upper(b) - lo)))
        return (Double(full) + Double(counts[b]) * part) / Double(total)
    }
}
