import Foundation

/// How unusual a deviation is for one target, as a tail probability: the
/// share of the target's own training deviations at least this large.
///
/// Each target keeps its deviations' quantiles at fixed probabilities up to
/// 0.99 (those its history holds at least ten points beyond). Between
/// quantiles the log tail probability is interpolated; beyond the last, the
/// tail falls off exponentially at the rate the last two quantiles show (a
/// generalised Pareto tail of shape 0). The extreme 1% of the training
/// errors never shapes the tail, so anomalies in the training window (up to
/// about 1% of it) do not teach the model that they are normal. So a score of 1 - p means the same for a
/// quiet target and a noisy one, and for any model that measures deviations.
public struct TailCalibration: Sendable, Equatable {
    /// Probabilities of the stored quantiles.
    public static let levels: [Double] = [0.5, 0.8, 0.9, 0.95, 0.98, 0.99]
    static let minimumBeyond = 10.0

    /// targets × levels.count quantiles of the deviation (NaN where the history was too short for that level).
    public let quantiles: [Double]
    /// Per target, the exponential tail's scale beyond its last quantile (> 0).
    public let tailScale: [Double]

    public init(quantiles: [Double], tailScale: [Double]) {
        self.quantiles = quantiles
        self.tailScale = tailScale
    }

    public var targets: Int { tailScale.count }

    /// Why this calibration cannot be used for `targets` targets, or nil.
    public func problem(targets m: Int) -> String? {
        let k = Self.levels.count
        guard quantiles.count == m * k, tailScale.count == m else {
            return "tail calibration holds \(quantiles.count) quantiles and \(tailScale.count) scales for \(m) targets"
        }
        for t in 0..<m {
            guard tailScale[t] > 0, tailScale[t].isFinite else { return "tail scale of target \(t) is not positive" }
            var last = -Double.infinity
            for j in 0..<k where quantiles[t * k + j].isFinite {
                guard quantiles[t * k + j] >= last, quantiles[t * k + j] >= 0 else { return "tail quantiles of target \(t) decrease" }
                last = quantiles[t * k + j]
            }
        }
        return nil
    }

    /// Calibrates one target on its deviations (non-negative; NaN ignored), appending to the arrays.
    /// With fewer than 20 deviations the target gets a normal law's tail of |z|.
    public static func fit(_ deviations: [Double], quantiles: inout [Double], tailScale: inout [Double]) {
        var a = deviations.filter { $0.isFinite }
        let n = Double(a.count)
        guard a.count >= 20 else {
            quantiles += levels.map { normalQuantile($0) }
            tailScale.append(1 / normalQuantile(levels.last!))
            return
        }
        var valid: [(q: Double, logP: Double)] = []
        // The order statistics by selection, each within what the one before left above it: the same values
        // a sort would give, without sorting every target's history.
        var start = 0
        for (j, level) in levels.enumerated() {
            if n * (1 - level) >= minimumBeyond {
                let k = min(a.count - 1, Int((level * n).rounded(.down)))
                let q = a.withUnsafeMutableBufferPointer { v in
                    RobustScale.select(v.baseAddress! + start, v.count - start, k - start)
                }
                start = k
                quantiles.append(q)
                valid.append((q, logTail[j]))
            } else {
                quantiles.append(.nan)
            }
        }
        let last = valid.last?.q ?? 0
        let floor = max(1e-9, 0.05 * last)
        if valid.count >= 2 {
            let (q1, l1) = valid[valid.count - 2], (q2, l2) = valid[valid.count - 1]
            tailScale.append(max(floor, (q2 - q1) / (l1 - l2)))
        } else {
            tailScale.append(max(floor, 0.5 * last))
        }
    }

    /// The tail probability of deviation `a` (≥ 0) for `target`: 1 at 0, falling to 0 far outside anything seen.
    @inline(__always)
    public func probability(target t: Int, deviation a: Double) -> Double {
        guard a.isFinite else { return a.isNaN ? .nan : 0 }
        let k = Self.levels.count
        return quantiles.withUnsafeBufferPointer { q in
            let base = t * k
            var prevQ = 0.0, prevLogP = 0.0  // log(1) at deviation 0
            for j in 0..<k {
                let qj = q[base + j]
                guard qj.isFinite else { break }
                let logP = Self.logTail[j]
                if a <= qj {
                    guard qj > prevQ else { return exp(logP) }
                    return exp(prevLogP + (logP - prevLogP) * (a - prevQ) / (qj - prevQ))
                }
                prevQ = qj
                prevLogP = logP
            }
            return exp(prevLogP - (a - prevQ) / tailScale[t])
        }
    }

    /// The tail probability of the most unusual of `fields` independent fields, each with tail probability
    /// at least `p` (Šidák): what one threshold means for an event of one field or of forty.
    @inline(__always)
    public static func combined(_ p: Double, fields: Int) -> Double {
        fields <= 1 ? p : -expm1(Double(fields) * log1p(-min(1, max(0, p))))
    }

    /// A normal law's tail for each of `targets` targets (models saved before calibration existed).
    public static func normal(targets: Int) -> TailCalibration {
        var q: [Double] = [], s: [Double] = []
        for _ in 0..<targets { fit([], quantiles: &q, tailScale: &s) }
        return TailCalibration(quantiles: q, tailScale: s)
    }

    static let logTail: [Double] = levels.map { log(1 - $0) }

    /// The normal law's quantile of |z| at `level` (the two-sided tail).
    static func normalQuantile(_ level: Double) -> Double {
        // Bisection on erfc: |z| with erfc(|z| / √2) = 1 - level.
        var lo = 0.0, hi = 40.0
        for _ in 0..<100 {
            let mid = (lo + hi) / 2
            if erfc(mid / 2.0.squareRoot()) > 1 - level { lo = mid } else { hi = mid }
        }
        return (lo + hi) / 2
    }
}
