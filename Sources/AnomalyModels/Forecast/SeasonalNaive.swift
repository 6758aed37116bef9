/// The seasonal-naive forecast's error: what MASE is scaled by, in validation and in the benches alike.
public enum SeasonalNaive {
    /// Mean |y[t] − y[t − lag]| over t in `range` (from `lag` on), skipping missing values; NaN with no pair.
    public static func mae(_ y: [Double], lag: Int, over range: Range<Int>) -> Double {
        var sum = 0.0, count = 0
        for t in max(range.lowerBound, lag)..<max(max(range.lowerBound, lag), range.upperBound) {
            let d = y[t] - y[t - lag]
            if d.isFinite { sum += abs(d); count += 1 }
        }
        return count > 0 ? sum / Double(count) : .nan
    }
}
