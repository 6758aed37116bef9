import Foundation

/// Per-target value transform: log(y + c) or identity, decided on the training values.
enum TargetTransform {
    @inline(__always)
    static func forward(_ y: Double, offset: Double) -> Double {
        // A value at or below -c (impossible in training) maps far below every forecast instead of to NaN.
        offset.isNaN ? y : log(max(y + offset, .leastNormalMagnitude))
    }

    @inline(__always)
    static func inverse(_ z: Double, offset: Double) -> Double { offset.isNaN ? z : exp(z) - offset }

    /// What the fit learns about one target's training values before transforming them in place.
    struct Summary {
        var offset = Double.nan
        var median = Double.nan
        var observed = 0
        var constant = false
    }

    /// Decides the transform of `row[0..<n]` (NaN where missing) and applies it.
    static func apply(
        _ row: UnsafeMutablePointer<Double>, _ n: Int, mode: ForecastTransform, scratch: UnsafeMutablePointer<Double>
    ) -> Summary {
        var s = Summary()
        var lo = Double.infinity, hi = -Double.infinity
        var sampled = 0
        for c in 0..<n where row[c].isFinite {
            if s.observed % 4 == 0 { scratch[sampled] = row[c]; sampled += 1 }
            s.observed += 1
            lo = min(lo, row[c]); hi = max(hi, row[c])
        }
        guard s.observed > 0 else { return s }
        s.constant = lo == hi
        // Every fourth value: the median only sets the log offset and the scale floor.
        s.median = RobustScale.median(scratch, sampled)
        let positive = lo >= 0 && s.median > 0
        if mode == .log || (mode == .auto && positive) {
            // A log needs values above -c; a target with values at or below it keeps its identity scale.
            let c = 0.01 * abs(s.median)
            if c > 0, lo + c > 0 { s.offset = c }
        }
        if !s.offset.isNaN {
            for c in 0..<n where row[c].isFinite { row[c] = log(row[c] + s.offset) }
            s.median = log(s.median + s.offset)
        }
        return s
    }
}
