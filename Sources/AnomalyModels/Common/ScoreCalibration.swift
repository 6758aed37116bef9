import Foundation

/// A raw anomaly score (an isolation forest's, say: higher is more anomalous) made into a tail probability:
/// how often the training rows scored at least this far above their median. Up to the 99th percentile that
/// is `TailCalibration` of the excess; beyond it the log probability falls linearly to 1 / (n + 1) at the
/// highest training score, and on at that rate (at least the 99th percentile's exponential rate) past it.
/// The last anchor matters for a forest: a row outside everything seen still ends its paths in the leaves
/// of the most extreme training rows, so its raw score saturates near theirs, and only the training rows'
/// own rarity (one in n) says how rare such a score is. So 1 - p means for the forest what it means for the
/// forecaster, and one alarm rate sets both kinds' flags.
public struct ScoreCalibration: Sendable, Equatable {
    public let median: Double
    public let tail: TailCalibration
    /// The highest training score's excess over the median, and the number of training scores (0: no anchor).
    public let maximumExcess: Double
    public let count: Int

    /// The last stored quantile of the excess and its log tail probability, the anchor's log probability and
    /// the rate beyond it, when the anchor lies beyond that quantile (worked out once: scoring asks per event).
    private let anchor: (q: Double, logP: Double, logTop: Double, slope: Double)?

    public init(median: Double, tail: TailCalibration, maximumExcess: Double = 0, count: Int = 0) {
        self.median = median
        self.tail = tail
        self.maximumExcess = maximumExcess
        self.count = count
        anchor = Self.anchor(tail, maximumExcess: maximumExcess, count: count)
    }

    public static func == (a: ScoreCalibration, b: ScoreCalibration) -> Bool {
        a.median == b.median && a.tail == b.tail && a.maximumExcess == b.maximumExcess && a.count == b.count
    }

    /// Fits on training scores (NaN ignored); nil with fewer than 20 of them.
    public static func fit(_ scores: [Double]) -> ScoreCalibration? {
        let finite = scores.filter { $0.isFinite }
        guard finite.count >= 20, let m = StreamContext.median(finite), let top = finite.max() else { return nil }
        var q: [Double] = [], s: [Double] = []
        TailCalibration.fit(finite.map { max(0, $0 - m) }, quantiles: &q, tailScale: &s)
        return ScoreCalibration(
            median: m, tail: TailCalibration(quantiles: q, tailScale: s), maximumExcess: top - m, count: finite.count)
    }

    private static func anchor(_ tail: TailCalibration, maximumExcess: Double, count: Int)
        -> (q: Double, logP: Double, logTop: Double, slope: Double)?
    {
        guard count > 0, tail.targets == 1, tail.quantiles.count == TailCalibration.levels.count else { return nil }
        guard let j = TailCalibration.levels.indices.last(where: { tail.quantiles[$0].isFinite }) else { return nil }
        let q = tail.quantiles[j], logP = TailCalibration.logTail[j], logTop = -log(Double(count + 1))
        guard maximumExcess > q, logTop < logP, tail.tailScale[0] > 0 else { return nil }
        return (q, logP, logTop, max((logP - logTop) / (maximumExcess - q), 1 / tail.tailScale[0]))
    }

    /// The tail probability of `score`: 1 at or below the training median, NaN for NaN.
    @inline(__always)
    public func probability(_ score: Double) -> Double {
        guard !score.isNaN else { return .nan }
        let a = max(0, score - median)
        guard let (q, logP, logTop, slope) = anchor, a > q else { return tail.probability(target: 0, deviation: a) }
        if a <= maximumExcess { return exp(logP - (a - q) * (logP - logTop) / (maximumExcess - q)) }
        return exp(logTop - (a - maximumExcess) * slope)
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
