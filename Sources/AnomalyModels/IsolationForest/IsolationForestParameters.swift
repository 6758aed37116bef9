import Foundation

/// How an isolation forest is fitted. Defaults follow Liu et al. and scikit-learn.
public struct IsolationForestParameters: Sendable, Equatable, Codable {
    /// Number of trees.
    public var trees = 100
    /// Rows drawn, without replacement, for each tree (capped at the training rows).
    public var sampleSize = 256
    /// Depth limit; nil means ceil(log2(sample size)).
    public var maxDepth: Int?
    /// Random hyperplane cuts (Hariri et al. 2018) instead of axis-parallel ones.
    public var extended = false
    /// Expected share of anomalies: the threshold flags this share of the
    /// training rows. nil is scikit-learn's "auto" (a fixed threshold of 0.5),
    /// which on smooth, seasonal data flags a quarter of the rows; so the
    /// default here is 1%.
    public var contamination: Double? = 0.01
    /// A fixed score threshold; overrides contamination.
    public var threshold: Double?
    public var seed: UInt64 = 0

    public init() {}

    /// Parameters from `key=value` settings, as given to `--param`.
    public init(settings: [String]) throws {
        for setting in settings {
            guard let eq = setting.firstIndex(of: "="), eq != setting.startIndex else {
                throw ModelError.badParameter("parameter '\(setting)' is not key=value")
            }
            try set(String(setting[..<eq]).trimmingCharacters(in: .whitespaces),
                    String(setting[setting.index(after: eq)...]).trimmingCharacters(in: .whitespaces))
        }
    }

    /// The depth limit in force for a given number of training rows.
    public func depth(forRows rows: Int) -> Int {
        if let maxDepth { return maxDepth }
        let psi = max(2, min(sampleSize, rows))
        var d = 0
        while (1 << d) < psi { d += 1 }
        return d
    }

    /// Applies `key=value` settings from the command line.
    public mutating func set(_ key: String, _ value: String) throws {
        func int(_ range: ClosedRange<Int>) throws -> Int {
            guard let v = Int(value), range.contains(v) else {
                throw ModelError.badParameter("\(key)=\(value): expected an integer in \(range.lowerBound)...\(range.upperBound)")
            }
            return v
        }
        func fraction(_ range: ClosedRange<Double>) throws -> Double {
            guard let v = Double(value), range.contains(v) else {
                throw ModelError.badParameter("\(key)=\(value): expected a number in \(range.lowerBound)...\(range.upperBound)")
            }
            return v
        }
        switch key {
        case "trees", "n_estimators": trees = try int(1...10_000)
        case "sample_size", "samples", "max_samples": sampleSize = try int(2...65_536)
        case "max_depth": maxDepth = value == "auto" ? nil : try int(1...14)
        case "extended":
            guard let v = Bool(value) else { throw ModelError.badParameter("extended=\(value): expected true or false") }
            extended = v
        case "contamination":
            contamination = value == "auto" ? nil : try fraction(0.000_001...0.5)
        case "threshold": threshold = value == "auto" ? nil : try fraction(0...1)
        case "seed":
            guard let v = UInt64(value) else { throw ModelError.badParameter("seed=\(value): expected a non-negative integer") }
            seed = v
        default:
            throw ModelError.badParameter(
                "unknown isolation-forest parameter '\(key)' (known: trees, sample_size, max_depth, extended, contamination, threshold, seed)")
        }
    }
}

extension IsolationForestParameters {
    /// The parameters as `key=value` strings, in the words `set` accepts.
    public var settings: [String: String] {
        [
            "trees": "\(trees)", "sample_size": "\(sampleSize)", "max_depth": maxDepth.map { "\($0)" } ?? "auto",
            "extended": "\(extended)", "contamination": contamination.map { "\($0)" } ?? "auto",
            "threshold": threshold.map { "\($0)" } ?? "auto", "seed": "\(seed)",
        ]
    }
}
