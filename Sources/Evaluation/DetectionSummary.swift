/// The means of a detection run, per set and overall, per detector.
///
/// A set's mean is over its evaluated files (a file that could not be read or had no labelled
/// anomaly to score is left out for every detector alike). A file a detector failed on (a kind
/// refused to fit, an evaluation failed) counts 0 on every figure and is counted in `failures`.
/// The overall mean is the mean of the set means, so each set weighs the same whatever its
/// number of files.
public struct DetectionSummary: Sendable {
    public struct Row: Sendable {
        /// A set's name, or `mean` for the overall row.
        public var scope: String
        public var detector: String
        public var files: Int
        public var failures: Int
        public var vusPR: Double
        public var aucPR: Double
        public var pointPrecision: Double
        public var pointRecall: Double
        public var eventPrecision: Double
        public var eventRecall: Double
    }

    public static let overall = "mean"
    public private(set) var rows: [Row] = []

    public init(_ results: [FileResult]) {
        let evaluated = results.filter { $0.failure == nil }
        let detectors = Self.ordered(evaluated.flatMap { $0.detectors.map(\.detector) })
        var sets: [String] = []
        for r in evaluated where !sets.contains(r.set) { sets.append(r.set) }
        var perSet: [Row] = []
        for set in sets {
            let files = evaluated.filter { $0.set == set }
            for detector in detectors { perSet.append(Self.mean(set, detector, files.map { $0.result(of: detector) })) }
        }
        rows = perSet
        for detector in detectors {
            let mine = perSet.filter { $0.detector == detector }
            guard !mine.isEmpty else { continue }
            let n = Double(mine.count)
            func avg(_ key: KeyPath<Row, Double>) -> Double { mine.reduce(0) { $0 + $1[keyPath: key] } / n }
            rows.append(
                Row(
                    scope: Self.overall, detector: detector, files: mine.reduce(0) { $0 + $1.files },
                    failures: mine.reduce(0) { $0 + $1.failures }, vusPR: avg(\.vusPR), aucPR: avg(\.aucPR),
                    pointPrecision: avg(\.pointPrecision), pointRecall: avg(\.pointRecall),
                    eventPrecision: avg(\.eventPrecision), eventRecall: avg(\.eventRecall)))
        }
    }

    /// The mean over `results` (nil: the detector did not run on that file, a failure).
    static func mean(_ scope: String, _ detector: String, _ results: [DetectorResult?]) -> Row {
        let ok = results.map { r -> DetectorResult? in r?.failure == nil ? r : nil }
        let n = Double(max(1, results.count))
        func avg(_ value: (DetectorResult) -> Double?) -> Double { ok.reduce(0) { $0 + ($1.flatMap(value) ?? 0) } / n }
        return Row(
            scope: scope, detector: detector, files: results.count, failures: ok.filter { $0 == nil }.count,
            vusPR: avg(\.vusPR), aucPR: avg(\.aucPR), pointPrecision: avg { $0.flags?.pointPrecision },
            pointRecall: avg { $0.flags?.pointRecall }, eventPrecision: avg { $0.flags?.eventPrecision },
            eventRecall: avg { $0.flags?.eventRecall })
    }

    /// Names in order of first appearance.
    private static func ordered(_ names: [String]) -> [String] {
        var out: [String] = []
        for n in names where !out.contains(n) { out.append(n) }
        return out
    }

    /// Per set with interpretation labels, the mean of each hit rate over its files (`Interpretation`), in
    /// order of first appearance: (set, `<detector>@<P>`, mean, files).
    public static func hitRates(_ results: [FileResult]) -> [(set: String, key: String, mean: Double, files: Int)] {
        var out: [(set: String, key: String, mean: Double, files: Int)] = []
        for r in results where r.failure == nil {
            for key in r.hitRates.keys.sorted() where !out.contains(where: { $0.set == r.set && $0.key == key }) {
                let values = results.filter { $0.set == r.set }.compactMap { $0.hitRates[key] }
                out.append((r.set, key, values.reduce(0, +) / Double(values.count), values.count))
            }
        }
        return out
    }
}
