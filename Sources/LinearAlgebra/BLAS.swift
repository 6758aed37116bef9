import CLAPACKE
import COpenBLAS

/// Errors LAPACK reports through its `info` result.
public enum LinearAlgebraError: Error, Equatable, CustomStringConvertible {
    /// The matrix is not positive definite: the leading minor of this order is not positive.
    case notPositiveDefinite(order: Int)
    /// The matrix does not have full rank.
    case rankDeficient
    case illegalArgument(index: Int)

    public var description: String {
        switch self {
        case .notPositiveDefinite(let k): "matrix is not positive definite (leading minor \(k))"
        case .rankDeficient: "matrix does not have full rank"
        case .illegalArgument(let i): "LAPACK rejected argument \(i)"
        }
    }
}

public enum BLAS {
    /// C = alpha * op(A) * op(B) + beta * C, through `cblas_dgemm`.
    public static func gemm(
        _ a: Matrix, transposeA: Bool = false, _ b: Matrix, transposeB: Bool = false,
        alpha: Double = 1, beta: Double = 0, into c: inout Matrix
    ) {
        let m = transposeA ? a.columns : a.rows
        let k = transposeA ? a.rows : a.columns
        let n = transposeB ? b.rows : b.columns
        precondition((transposeB ? b.columns : b.rows) == k, "inner dimensions differ")
        precondition(c.rows == m && c.columns == n, "output is \(c.rows)x\(c.columns), expected \(m)x\(n)")
        guard m > 0, n > 0 else { return }
        cblas_dgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a.storage, Int32(a.columns), b.storage, Int32(b.columns),
            beta, &c.storage, Int32(c.columns))
    }

    /// op(A) * op(B) as a new matrix.
    public static func multiply(_ a: Matrix, transposeA: Bool = false, _ b: Matrix, transposeB: Bool = false) -> Matrix {
        var c = Matrix(rows: transposeA ? a.columns : a.rows, columns: transposeB ? b.rows : b.columns)
        gemm(a, transposeA: transposeA, b, transposeB: transposeB, into: &c)
        return c
    }

    /// A^T A (upper and lower triangle filled), through `cblas_dsyrk`.
    public static func gram(_ a: Matrix) -> Matrix {
        var c = Matrix(rows: a.columns, columns: a.columns)
        guard a.rows > 0, a.columns > 0 else { return c }
        cblas_dsyrk(
            CblasRowMajor, CblasUpper, CblasTrans, Int32(a.columns), Int32(a.rows), 1, a.storage, Int32(a.columns), 0,
            &c.storage, Int32(c.columns))
        for i in 0..<c.rows { for j in 0..<i { c[i, j] = c[j, i] } }
        return c
    }
}

public enum LAPACK {
    /// Solves A X = B for symmetric positive definite A (Cholesky, `dposv`); B holds one right-hand side per column.
    public static func solvePositiveDefinite(_ a: Matrix, _ b: Matrix) throws -> Matrix {
        precondition(a.rows == a.columns && b.rows == a.rows, "shapes do not match")
        var a = a, b = b
        let info = LAPACKE_dposv(
            LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "U")), Int32(a.rows), Int32(b.columns), &a.storage, Int32(a.columns),
            &b.storage, Int32(b.columns))
        if info > 0 { throw LinearAlgebraError.notPositiveDefinite(order: Int(info)) }
        if info < 0 { throw LinearAlgebraError.illegalArgument(index: Int(-info)) }
        return b
    }

    /// Least-squares solution of A X = B for a full-rank, tall A (QR, `dgels`).
    public static func leastSquares(_ a: Matrix, _ b: Matrix) throws -> Matrix {
        precondition(b.rows == a.rows && a.rows >= a.columns, "least squares needs a tall A and matching B")
        var a = a, b = b
        let info = LAPACKE_dgels(
            LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "N")), Int32(a.rows), Int32(a.columns), Int32(b.columns),
            &a.storage, Int32(a.columns), &b.storage, Int32(b.columns))
        if info > 0 { throw LinearAlgebraError.rankDeficient }
        if info < 0 { throw LinearAlgebraError.illegalArgument(index: Int(-info)) }
        var x = Matrix(rows: a.columns, columns: b.columns)
        for i in 0..<a.columns { for j in 0..<b.columns { x[i, j] = b[i, j] } }
        return x
    }
}

extension BLAS {
    /// y = A x for a row-major `rows x columns` A given by pointer (`cblas_dgemv`); used on hot paths that own their buffers.
    public static func gemv(
        rows: Int, columns: Int, _ a: UnsafePointer<Double>, _ x: UnsafePointer<Double>, into y: UnsafeMutablePointer<Double>
    ) {
        guard rows > 0, columns > 0 else { return }
        cblas_dgemv(CblasRowMajor, CblasNoTrans, Int32(rows), Int32(columns), 1, a, Int32(columns), x, 1, 0, y, 1)
    }
}
