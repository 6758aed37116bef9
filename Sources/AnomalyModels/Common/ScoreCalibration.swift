import Foundation

/// A raw anomaly score (an isolation forest's, say: higher is more anomalous) made into a tail probability:
/// how often the training rows scored at least this far above their median (`TailCalibration` of the excess,
/// with its exponential tail beyond the 99th percentile). So 1 - p means for the forest what it means for the
/// forecaster, and one alarm rate sets both kinds' flags.
public struct ScoreCalibration: Sendable, Equatable {
    public let median: Double
    public let tail: TailCalibration

    public init(median: Double, tail: TailCalibration) {
        self.median = median
        self.tail = tail
    }

    /// Fits on training scores (NaN ignored); nil with fewer than 20 of them.
    public static func fit(_ scores: [Double]) -> ScoreCalibration? {
        let finite = scores.filter { $0.isFinite }
        guard finite.count >= 20, let m = StreamContext.median(finite) else { return nil }
        var q: [Double] = [], s: [Double] = []
        TailCalibration.fit(finite.map { max(0, $0 - m) }, quantiles: &q, tailScale: &s)
        return ScoreCalibration(median: m, tail: TailCalibration(quantiles: q, tailScale: s))
    }

    /// The tail probability of `score`: 1 at or below the training median, NaN for NaN.
    @inline(__always)
    public func probability(_ score: Double) -> Double {
        score.isNaN ? .nan : tail.probability(target: 0, deviation: max(0, score - median))
    }

    /// The smallest score in [median, 1] whose tail probability is below `rate`, or 1 when no score is that rare.
    public func threshold(alarmRate rate: Double) -> Double {
        guard probability(1) < rate else { return 1 }
        var lo = median, hi = 1.0
        for _ in 0..<60 {
            let mid = (lo + hi) / 2
            if probability(mid) < rate { hi = mid } else { lo = mid }
        }
        return hi
    }

    /// Why this calibration cannot be used, or nil.
    public func problem() -> String? {
        guard median.isFinite, (0...1).contains(median) else { return "score median \(median) is outside [0, 1]" }
        return tail.problem(targets: 1)
    }
}
