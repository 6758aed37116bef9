/// How wide a forecaster's bands are at each step ahead.
///
/// A forecast ahead runs the series' state (level and AR lags) forward from its last
/// event, so its errors grow with the distance from it as the level wanders, and on
/// real series they grow faster than independent noise would. The growth is measured,
/// not assumed: on rolling origins at the end of the training window (a regression
/// fitted before each, the filter run over what follows), forecasts are made from many
/// origins, and a bucket's half-width at a coverage is that quantile of their |errors|
/// in the target's one-step scales (a split-conformal estimate on held-out errors,
/// pooled over the series of a field). A band `steps` ahead is the forecast ± that
/// half-width × the series' current scale.
public struct HorizonCalibration: Sendable, Equatable {
    /// The coverages at which the widening is measured; others are interpolated between them.
    public static let coverages: [Double] = [0.5, 0.8, 0.9, 0.95, 0.98, 0.99]
    /// Fewer errors than this in a bucket and the bucket takes the pooled (or the previous) factor.
    static let minimumSamples = 20

    /// The last step ahead of each bucket, increasing: 1, 2, 4, ..., the calibrated span.
    public let bucketEnds: [Int]
    /// fields × buckets × coverages: the half-width in one-step scales, never narrower than the bucket before's.
    public let halfWidths: [Double]
    /// Per bucket, the share of the last fold's clean values inside the model coverage's band
    /// as calibrated on the other folds (NaN with a single fold, or too few values).
    public let holdoutCoverage: [Double]
    public let fields: Int

    public init(bucketEnds: [Int], halfWidths: [Double], holdoutCoverage: [Double], fields: Int) {
        self.bucketEnds = bucketEnds
        self.halfWidths = halfWidths
        self.holdoutCoverage = holdoutCoverage
        self.fields = fields
    }

    /// The furthest step the calibration measured; bands further out keep its width.
    public var span: Int { bucketEnds.last ?? 1 }

    /// Bucket ends doubling from 1 up to `span`.
    static func bucketEnds(span: Int) -> [Int] {
        var ends: [Int] = [], k = 1
        while k < span { ends.append(k); k *= 2 }
        ends.append(max(1, span))
        return ends
    }

    /// The bucket holding `step` (1 is the next cell); steps beyond the span fall in the last.
    func bucket(step: Int64) -> Int {
        bucketEnds.firstIndex(where: { Int64($0) >= step }) ?? (bucketEnds.count - 1)
    }

    /// Field `f`'s half-width in one-step scales `step` cells ahead, at `coverage` (clamped to the calibrated
    /// coverages, interpolated between them).
    public func halfWidth(field f: Int, step: Int64, coverage: Double) -> Double {
        let levels = Self.coverages, b = bucket(step: step)
        let base = (f * bucketEnds.count + b) * levels.count
        guard coverage > levels[0] else { return halfWidths[base] }
        guard let hi = levels.firstIndex(where: { $0 >= coverage }) else { return halfWidths[base + levels.count - 1] }
        let lo = hi - 1, w = (coverage - levels[lo]) / (levels[hi] - levels[lo])
        return halfWidths[base + lo] * (1 - w) + halfWidths[base + hi] * w
    }

    /// `coverage` moved into the calibrated range.
    static func clamped(_ coverage: Double) -> Double { min(max(coverage, coverages[0]), coverages[coverages.count - 1]) }

    /// Why this calibration cannot be used with a model of `fields` fields, or nil.
    func problem(fields expected: Int) -> String? {
        guard fields == expected else { return "it is for \(fields) fields, the model has \(expected)" }
        guard !bucketEnds.isEmpty, bucketEnds.first! >= 1, zip(bucketEnds, bucketEnds.dropFirst()).allSatisfy({ $0 < $1 })
        else { return "its bucket ends are not increasing from 1" }
        let levels = Self.coverages.count
        guard halfWidths.count == fields * bucketEnds.count * levels else { return "the half-widths have the wrong length" }
        guard halfWidths.allSatisfy({ $0.isFinite && $0 >= 0 && $0 <= 1e5 }) else { return "a half-width is not in [0, 1e5]" }
        for f in 0..<fields {
            for b in 1..<bucketEnds.count {
                for k in 0..<levels where halfWidths[(f * bucketEnds.count + b) * levels + k] < halfWidths[(f * bucketEnds.count + b - 1) * levels + k] {
                    return "a half-width narrows further ahead (field \(f), bucket \(b))"
                }
            }
        }
        guard holdoutCoverage.count == bucketEnds.count else { return "the held-out coverage has the wrong length" }
        return nil
    }
}

extension HorizonCalibration {
    /// One calibration for the shards of a sharded fit: the parts' half-widths and coverages averaged, weighted by
    /// `weights` (their validated targets); parts without one, or with other buckets than the first's, do not count.
    static func merged(_ parts: [HorizonCalibration?], weights: [Int]) -> HorizonCalibration? {
        let usable = zip(parts, weights).compactMap { part, weight in part.map { ($0, max(1, weight)) } }
        guard let first = usable.first?.0 else { return nil }
        let same = usable.filter { $0.0.bucketEnds == first.bucketEnds && $0.0.fields == first.fields }
        let total = Double(same.reduce(0) { $0 + $1.1 })
        let widths = first.halfWidths.indices.map { i in same.reduce(0.0) { $0 + $1.0.halfWidths[i] * Double($1.1) } / total }
        let coverage = first.holdoutCoverage.indices.map { b -> Double in
            let measured = same.filter { $0.0.holdoutCoverage[b].isFinite }
            let weight = Double(measured.reduce(0) { $0 + $1.1 })
            return weight > 0 ? measured.reduce(0.0) { $0 + $1.0.holdoutCoverage[b] * Double($1.1) } / weight : .nan
        }
        return HorizonCalibration(bucketEnds: first.bucketEnds, halfWidths: widths, holdoutCoverage: coverage, fields: first.fields)
    }
}
