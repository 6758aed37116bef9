/// Interpolated quantiles of a column, by selection instead of a full sort:
/// each quantile needs the k-th and (k+1)-th smallest values, which a
/// quickselect finds in linear time. The values are those a sort would give.
/// Each selection leaves its order statistic in place, everything before it
/// no larger and everything after no smaller; later selections and the
/// minimum above an order statistic only look between the nearest such places.
struct Quantiles {
    private var values: [Double]
    /// Positions already holding their order statistic, ascending.
    private var placed: [Int] = []
    /// Where a partition writes before it is copied back.
    private var scratch: [Double] = []
    let minimum: Double
    let maximum: Double

    /// Of `column`: finite values, at least one.
    init(_ column: [Double]) {
        values = column
        var lo = column.first ?? 0, hi = lo
        for v in column {
            if v < lo { lo = v }
            if v > hi { hi = v }
        }
        minimum = lo; maximum = hi
    }

    /// The p-quantile with linear interpolation between order statistics (numpy's default).
    mutating func value(_ p: Double) -> Double {
        let pos = p * Double(values.count - 1)
        let lo = Int(pos)
        let low = select(lo)
        guard lo + 1 < values.count, pos > Double(lo) else { return low }
        // Everything after lo is no smaller: the next order statistic is the minimum of
        // the values up to the next placed one (inclusive), which is no larger than those beyond it.
        let end = placed.first { $0 > lo }.map { $0 + 1 } ?? values.count
        let high = values[(lo + 1)..<end].min() ?? low
        return low + (high - low) * (pos - Double(lo))
    }

    /// One of the values in `lo...hi`, likely close to the k-th smallest: on long ranges the
    /// value of k's relative rank among 31 evenly spaced ones (so a partition leaves about a
    /// tenth of the range on k's side, not half), else the median of three.
    private static func pivot(_ v: UnsafeMutableBufferPointer<Double>, lo: Int, hi: Int, k: Int) -> Double {
        let n = hi - lo + 1
        guard n >= 256 else {
            let a = v[lo], b = v[lo + (hi - lo) / 2], c = v[hi]
            return max(min(a, b), min(max(a, b), c))
        }
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: 31) { sample in
            for i in 0..<31 {
                // Insertion sort as the sample is drawn.
                let x = v[lo + i * (n - 1) / 30]
                var j = i
                while j > 0, sample[j - 1] > x {
                    sample[j] = sample[j - 1]
                    j -= 1
                }
                sample[j] = x
            }
            return sample[(k - lo) * 30 / (n - 1)]
        }
    }

    /// The k-th smallest value (0-based); partitions `values` around it.
    private mutating func select(_ k: Int) -> Double {
        let above = placed.firstIndex { $0 >= k } ?? placed.count
        if above < placed.count, placed[above] == k { return values[k] }
        var lo = above > 0 ? placed[above - 1] + 1 : 0, hi = above < placed.count ? placed[above] - 1 : values.count - 1
        placed.insert(k, at: above)
        if scratch.count < values.count { scratch = .init(repeating: 0, count: values.count) }
        values.withUnsafeMutableBufferPointer { v in
            scratch.withUnsafeMutableBufferPointer { out in
                while lo < hi {
                    // A pivot near the k-th value (see `pivot`), then a three-way partition into `out`
                    // without branches on the values: each value is stored at both ends and the end it
                    // belongs to advances; the values equal to the pivot fill the middle. The
                    // sides are the sign bits of the differences (finite values; -0 sorts below +0).
                    let pivot = Self.pivot(v, lo: lo, hi: hi, k: k)
                    var low = lo, high = hi
                    for i in lo...hi {
                        let x = v[i]
                        out[low] = x
                        out[high] = x
                        low &+= Int(truncatingIfNeeded: (x - pivot).bitPattern >> 63)
                        high &-= Int(truncatingIfNeeded: (pivot - x).bitPattern >> 63)
                    }
                    for i in low...high { out[i] = pivot }  // never empty: the pivot is one of the values
                    for i in lo...hi { v[i] = out[i] }
                    if k < low { hi = low - 1 } else if k > high { lo = high + 1 } else { break }
                }
            }
        }
        return values[k]
    }
}
