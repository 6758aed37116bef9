/// Interpolated quantiles of a column, by selection instead of a full sort:
/// each quantile needs the k-th and (k+1)-th smallest values, which a
/// quickselect finds in linear time. The values are those a sort would give.
struct Quantiles {
    private var values: [Double]
    let minimum: Double
    let maximum: Double

    /// Of `column`: finite values, at least one.
    init(_ column: [Double]) {
        values = column
        minimum = values.min() ?? 0
        maximum = values.max() ?? 0
    }

    /// The p-quantile with linear interpolation between order statistics (numpy's default).
    mutating func value(_ p: Double) -> Double {
        let pos = p * Double(values.count - 1)
        let lo = Int(pos)
        let low = select(lo)
        guard lo + 1 < values.count, pos > Double(lo) else { return low }
        // After selecting lo, everything above it is no smaller: the next order statistic is their minimum.
        let high = values[(lo + 1)...].min() ?? low
        return low + (high - low) * (pos - Double(lo))
    }

    /// The k-th smallest value (0-based); partitions `values` around it.
    private mutating func select(_ k: Int) -> Double {
        var lo = 0, hi = values.count - 1
        values.withUnsafeMutableBufferPointer { v in
            while lo < hi {
                // Median of three as the pivot, then a Hoare partition.
                let mid = lo + (hi - lo) / 2
                if v[mid] < v[lo] { v.swapAt(mid, lo) }
                if v[hi] < v[lo] { v.swapAt(hi, lo) }
                if v[hi] < v[mid] { v.swapAt(hi, mid) }
                let pivot = v[mid]
                var i = lo, j = hi
                while i <= j {
                    while v[i] < pivot { i += 1 }
                    while pivot < v[j] { j -= 1 }
                    if i <= j {
                        v.swapAt(i, j)
                        i += 1
                        j -= 1
                    }
                }
                if k <= j { hi = j } else if k >= i { lo = i } else { break }
            }
        }
        return values[k]
    }
}
