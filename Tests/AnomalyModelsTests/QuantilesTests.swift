import Testing

@testable import AnomalyModels

/// Quantiles by selection give exactly what interpolating over a sorted copy gives.
@Suite struct QuantilesTests {
    static func sorted(_ v: [Double], _ p: Double) -> Double {
        let s = v.sorted()
        let pos = p * Double(s.count - 1)
        let lo = Int(pos), hi = min(lo + 1, s.count - 1)
        return s[lo] + (s[hi] - s[lo]) * (pos - Double(lo))
    }

    @Test func selectionMatchesSortingOnRandomColumnsWithTies() {
        var state: UInt64 = 42
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 40)
        }
        for n in [1, 2, 3, 4, 5, 7, 10, 64, 101, 1_000, 4_097] {
            for ties in [false, true] {
                let column = (0..<n).map { _ in ties ? Double(Int(next()) % 5) : next() - 8e6 }
                var q = Quantiles(column)
                for p in [0.25, 0.5, 0.75, 0.0, 1.0, 0.9] {
                    #expect(q.value(p) == Self.sorted(column, p), "n \(n), ties \(ties), p \(p)")
                }
                #expect(q.minimum == column.min() && q.maximum == column.max())
            }
        }
    }

    @Test func selectionMatchesSortingOnOrderedAndConstantColumns() {
        let ascending = (0..<5_000).map { Double($0 % 1_700) * 0.5 }.sorted()
        for column in [ascending, ascending.reversed(), [Double](repeating: 3, count: 700)] {
            var q = Quantiles(column)
            for p in [0.5, 0.75, 0.25, 0.01, 0.99] {
                #expect(q.value(p) == Self.sorted(column, p), "p \(p)")
            }
        }
    }

    @Test func aFeatureWithoutSpreadInItsMiddleHalfIsScaledByItsRange() {
        // 90% zeros: the IQR is 0, so the range (0...50) scales it, whatever the row order.
        let values = [Double](repeating: 0, count: 90) + (1...10).map { Double($0) * 5 }
        let scaler = FeatureScaler.fit(FeatureMatrix(rows: 100, columns: 1, values: values.reversed()))
        #expect(scaler.center == [0] && scaler.scale == [50])
    }
}
