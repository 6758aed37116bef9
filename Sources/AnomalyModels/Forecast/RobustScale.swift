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
        return (select(v, n, n / 2 - 1) + upper) / 2
    }

    /// 1.4826 × the median absolute deviation of the finite values among `values`
    /// (a consistent estimate of σ for normal data), using `work` as scratch; NaN when none is finite.
    static func sigma(_ values: UnsafePointer<Double>, _ count: Int, work: UnsafeMutablePointer<Double>) -> Double {
        var n = 0
        for i in 0..<count where values[i].isFinite { work[n] = values[i]; n += 1 }
        guard n > 0 else { return .nan }
        let m = median(work, n)
        for i in 0..<n { work[i] = abs(work[i] - m) }
        return 1.4826 * median(work, n)
    }
}

extension UnsafeMutablePointer where Pointee == Double {
    fileprivate func swapAt(_ i: Int, _ j: Int) {
        let t = self[i]; self[i] = self[j]; self[j] = t
    }
}
