/// Medians and MAD by selection (linear time), for the per-target robust
/// scales: sorting ten thousand histories would cost more than the fit itself.
enum RobustScale {
    /// The k-th smallest of `v[0..<n]` (0-based), reordering `v`.
    static func select(_ v: UnsafeMutablePointer<Double>, _ n: Int, _ k: Int) -> Double {
        var lo = 0, hi = n - 1
        while lo < hi {
            let pivot = median3(v[lo], v[(lo + hi) / 2], v[hi])
            var i = lo, j = hi
            while i <= j {
                while v[i] < pivot { i += 1 }
                while v[j] > pivot { j -= 1 }
                if i <= j { v.swapAt(i, j); i += 1; j -= 1 }
            }
            if k <= j { hi = j } else if k >= i { lo = i } else { return v[k] }
        }
        return v[k]
    }

    private static func median3(_ a: Double, _ b: Double, _ c: Double) -> Double {
        max(min(a, b), min(max(a, b), c))
    }

    static func median(_ v: UnsafeMutablePointer<Double>, _ n: Int) -> Double {
        guard n > 0 else { return .nan }
        let upper = select(v, n, n / 2)
        guard n % 2 == 0 else { return upper }
        // Selection left the n/2 smallest values in front: the lower middle one is their maximum.
        var lower = v[0]
        for i in 1..<(n / 2) { lower = max(lower, v[i]) }
        return (lower + upper) / 2
    }

    /// The median of the finite values among every `stride`-th of `values`, and 1.4826 ×
    /// their median absolute deviation from it: where a fit's residuals sit and how
    /// widely, even when an outlier has pulled the fit off them. Uses `work` as scratch.
    static func centredSigma(
        _ values: UnsafePointer<Double>, _ count: Int, work: UnsafeMutablePointer<Double>, stride step: Int
    ) -> (median: Double, sigma: Double) {
        var n = 0
        for i in stride(from: 0, to: count, by: step) where values[i].isFinite { work[n] = values[i]; n += 1 }
        guard n > 0 else { return (.nan, .nan) }
        let m = median(work, n)
        for i in 0..<n { work[i] = abs(work[i] - m) }
        return (m, 1.4826 * median(work, n))
    }

    /// 1.4826 × the median of |v| over the finite values among `values`: the MAD
    /// about zero, a consistent estimate of σ for centred normal data. Residuals
    /// and one-step errors are centred by their fit, and skipping the median
    /// halves the cost, which matters over ten thousand targets. Uses `work` as
    /// scratch; NaN when no value is finite.
    ///
    /// With `stride` > 1 only every stride-th value is used: a quarter of a long history
    /// estimates the scale well enough to clip or flag outliers, at a quarter of the cost.
    static func sigma(
        _ values: UnsafePointer<Double>, _ count: Int, work: UnsafeMutablePointer<Double>, stride step: Int = 1
    ) -> Double {
        var n = 0
        for i in stride(from: 0, to: count, by: step) where values[i].isFinite { work[n] = abs(values[i]); n += 1 }
        guard n > 0 else { return .nan }
        return 1.4826 * median(work, n)
    }
}

extension UnsafeMutablePointer where Pointee == Double {
    fileprivate func swapAt(_ i: Int, _ j: Int) {
        let t = self[i]; self[i] = self[j]; self[j] = t
    }
}
