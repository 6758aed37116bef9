/// A dense, row-major matrix of doubles: the one shape the models hand to BLAS and LAPACK.
public struct Matrix: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    /// Row-major storage: element (i, j) is `storage[i * columns + j]`.
    public var storage: [Double]

    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0, "matrix dimensions must be non-negative")
        self.rows = rows
        self.columns = columns
        storage = [Double](repeating: value, count: rows * columns)
    }

    public init(rows: Int, columns: Int, storage: [Double]) {
        precondition(storage.count == rows * columns, "storage holds \(storage.count) values, not \(rows)x\(columns)")
        self.rows = rows
        self.columns = columns
        self.storage = storage
    }

    public subscript(i: Int, j: Int) -> Double {
        get { storage[i * columns + j] }
        set { storage[i * columns + j] = newValue }
    }

    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m[i, i] = 1 }
        return m
    }
}
