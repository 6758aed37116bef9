/// Which inputs made a model flag an event, as shares of the credit (the isolation forest's attribution):
/// per flagged event its top few, most first. Unflagged events carry none.
public struct Drivers: Sendable {
    /// Drivers kept per event: 3 in predictions, every name for an analysis (`IsolationForestScoring.attributeAll`).
    public let top: Int
    /// The driver names: stream fields (a context feature counts for the field it derives from) and `calendar`.
    public var names: [String]
    /// `[event * top + k]`: index into `names` of the event's k-th driver, -1 where it has none.
    public var index: [Int32]
    /// `[event * top + k]`: that driver's share, in (0, 1].
    public var share: [Double]

    public init(names: [String], events n: Int, top: Int = 3) {
        self.names = names
        self.top = max(1, top)
        index = [Int32](repeating: -1, count: n * top)
        share = [Double](repeating: 0, count: n * top)
    }

    /// Event `i`'s drivers, most first.
    public func list(_ i: Int) -> [(name: String, share: Double)] {
        (0..<top).compactMap { k in
            let j = index[i * top + k]
            return j >= 0 ? (names[Int(j)], share[i * top + k]) : nil
        }
    }

    /// `kwh:0.61;voltage:0.22`: event `i`'s drivers with two decimals, empty when it has none.
    public func text(_ i: Int) -> String {
        list(i).map { "\($0.name):\(Self.twoDecimals($0.share))" }.joined(separator: ";")
    }

    static func twoDecimals(_ v: Double) -> String {
        let hundredths = Int((v * 100).rounded())
        return "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)"
    }

    /// Keeps the top shares of `credit` (one per driver name) as event `i`'s drivers.
    mutating func set(_ i: Int, credit: [Double]) {
        var taken = [Bool](repeating: false, count: credit.count)
        for k in 0..<top {
            var best = -1
            for j in credit.indices where !taken[j] && credit[j] > 0 && (best < 0 || credit[j] > credit[best]) { best = j }
            guard best >= 0 else { return }
            taken[best] = true
            index[i * top + k] = Int32(best)
            share[i * top + k] = credit[best]
        }
    }
}
