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
        var column: [Double] = []
        column.reserveCapacity(x.rows)
        for j in 0..<x.columns {
            column.removeAll(keepingCapacity: true)
            for i in 0..<x.rows where x[i, j].isFinite { column.append(x[i, j]) }
            guard !column.isEmpty else { continue }
            var q = Quantiles(column)
            center[j] = q.value(0.5)
            var iqr = q.value(0.75) - q.value(0.25)
            if !(iqr > 0) { iqr = q.maximum - q.minimum }
            scale[j] = iqr > 0 && iqr.isFinite ? iqr : 1
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
