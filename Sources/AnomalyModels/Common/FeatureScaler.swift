/// Robust per-feature scaling, (x - median) / IQR, fitted on training data and
/// stored with the model so scoring applies exactly what training did.
///
/// Axis-parallel isolation trees do not need it, but hyperplane cuts do, and the
/// medians double as the imputation values for missing features.
public struct FeatureScaler: Sendable, Equatable {
    public var center: [Double]
    public var scale: [Double]

    public init(center: [Double], scale: [Double]) {
        self.center = center; self.scale = scale
    }

    public static func identity(columns: Int) -> FeatureScaler {
        FeatureScaler(center: .init(repeating: 0, count: columns), scale: .init(repeating: 1, count: columns))
    }

    /// Fits medians and inter-quartile ranges over the finite values (missing and
    /// infinite ones are what scoring imputes); a constant feature gets scale 1.
    public static func fit(_ x: FeatureMatrix) -> FeatureScaler {
        var center = [Double](repeating: 0, count: x.columns)
        var scale = [Double](repeating: 1, count: x.columns)
        // Eight columns at a time are copied out of the rows, so each row's cache line is read once.
        let group = 8, n = x.rows, d = x.columns
        var columns = [Double](repeating: 0, count: group * n)
        var counts = [Int](repeating: 0, count: group)
        for first in stride(from: 0, to: d, by: group) {
            let width = min(group, d - first)
            x.values.withUnsafeBufferPointer { v in
                columns.withUnsafeMutableBufferPointer { c in
                    counts.withUnsafeMutableBufferPointer { count in
                        for k in 0..<width { count[k] = 0 }
                        for i in 0..<n {
                            for k in 0..<width {
                                let value = v[i * d + first + k]
                                c[k * n + count[k]] = value
                                count[k] += value.isFinite ? 1 : 0
                            }
                        }
                    }
                }
            }
            for k in 0..<width where counts[k] > 0 {
                var q = Quantiles(Array(columns[(k * n)..<(k * n + counts[k])]))
                center[first + k] = q.value(0.5)
                var iqr = q.value(0.75) - q.value(0.25)
                if !(iqr > 0) { iqr = q.maximum - q.minimum }
                scale[first + k] = iqr > 0 && iqr.isFinite ? iqr : 1
            }
        }
        return FeatureScaler(center: center, scale: scale)
    }

    /// Scales `x` in place.
    public func apply(_ x: inout FeatureMatrix) {
        let d = x.columns
        x.values.withUnsafeMutableBufferPointer { v in
            for i in 0..<x.rows {
                for j in 0..<d { v[i * d + j] = (v[i * d + j] - center[j]) / scale[j] }
            }
        }
    }
}
