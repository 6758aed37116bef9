/// Rows of features, row-major: the shape models fit on and score.
public struct FeatureMatrix: Sendable {
    public let rows: Int
    public let columns: Int
    /// Element (i, j) is `values[i * columns + j]`.
    public var values: [Double]

    public init(rows: Int, columns: Int, values: [Double]) {
        precondition(values.count == rows * columns, "feature matrix holds \(values.count) values, not \(rows)x\(columns)")
        self.rows = rows; self.columns = columns; self.values = values
    }

    /// Builds a row-major matrix from columns (`columns[j][i]`), as archive batches hold them.
    public init(columns cols: [[Double]]) {
        let n = cols.first?.count ?? 0
        var v = [Double](repeating: 0, count: n * cols.count)
        for (j, c) in cols.enumerated() {
            precondition(c.count == n, "columns differ in length")
            for i in 0..<n { v[i * cols.count + j] = c[i] }
        }
        self.init(rows: n, columns: cols.count, values: v)
    }

    public subscript(i: Int, j: Int) -> Double { values[i * columns + j] }
}
