import LinearAlgebra

/// Ridge regression of many targets on one design: one Gram matrix, one
/// Cholesky factorisation and one gemm for Xᵀ Y cover every target at once,
/// which is what keeps ten thousand series cheap.
enum SharedRidge {
    /// Coefficients (targets × columns) regressing each row of `y` (targets × cells,
    /// NaN where missing) on `x` (cells × columns).
    ///
    /// Robust to anomalies in the window: after a first fit, residuals are
    /// clipped to their target's median ± 4 robust σ (centred, since a large
    /// outlier shifts the first fit off the bulk of the values) and missing
    /// cells take the fitted value plus that median, then the fit is repeated
    /// on those cleaned values.
    static func fit(_ y: Matrix, x: Matrix, ridge: Double, unpenalised: Int) throws -> Matrix {
        precondition(y.columns == x.rows, "design and targets disagree on the number of cells")
        let n = y.columns, m = y.rows
        var gram = BLAS.gram(x)
        for j in unpenalised..<x.columns { gram[j, j] += ridge * Double(n) + 1e-9 * Double(n) }

        var work = y
        work.storage.withUnsafeMutableBufferPointer { w in
            for t in 0..<m {
                var sum = 0.0, count = 0
                for c in 0..<n where w[t * n + c].isFinite { sum += w[t * n + c]; count += 1 }
                let fill = count > 0 ? sum / Double(count) : 0
                for c in 0..<n where !w[t * n + c].isFinite { w[t * n + c] = fill }
            }
        }
        var coefficients = try solve(gram, BLAS.multiply(work, x))
        let gapped = (0..<m).filter { t in
            let missing = (0..<n).count { !y.storage[t * n + $0].isFinite }
            return missing > n / 50 && missing < n
        }
        solveGapped(gapped, y: y, values: work, x: x, gram: gram, into: &coefficients)
        BLAS.gemm(coefficients, x, transposeB: true, alpha: -1, beta: 1, into: &work)
        var scratch = [Double](repeating: 0, count: n)
        work.storage.withUnsafeMutableBufferPointer { w in
            y.storage.withUnsafeBufferPointer { original in
                scratch.withUnsafeMutableBufferPointer { s in
                    for t in 0..<m {
                        let row = w.baseAddress! + t * n
                        for c in 0..<n { s[c] = original[t * n + c].isFinite ? row[c] : .nan }
                        let (center, sigma) = RobustScale.centredSigma(
                            s.baseAddress!, n, work: s.baseAddress!, stride: 4)
                        let lo = center - 4 * sigma, hi = center + 4 * sigma
                        for c in 0..<n {
                            if !original[t * n + c].isFinite {
                                row[c] = center.isFinite ? center : 0
                            } else if lo.isFinite, hi.isFinite {
                                row[c] = min(hi, max(lo, row[c]))
                            }
                        }
                    }
                }
            }
        }
        BLAS.gemm(coefficients, x, transposeB: true, alpha: 1, beta: 1, into: &work)
        coefficients = try solve(gram, BLAS.multiply(work, x))
        solveGapped(gapped, y: y, values: work, x: x, gram: gram, into: &coefficients)
        return coefficients
    }

    /// Refits, on their observed cells only, the targets missing more than 2% of the
    /// window (a series that started late, a long outage): filling that many cells
    /// would shrink their seasonality towards the fill. Their Gram matrix is the
    /// shared one minus the rows they miss, so the cost grows with the gaps, not
    /// the window. A target whose own system is singular keeps the shared solution.
    private static func solveGapped(_ targets: [Int], y: Matrix, values: Matrix, x: Matrix, gram: Matrix, into b: inout Matrix) {
        let n = x.rows, p = x.columns
        for t in targets {
            let missing = (0..<n).filter { !y.storage[t * n + $0].isFinite }
            var absent = Matrix(rows: missing.count, columns: p)
            for (i, c) in missing.enumerated() { for j in 0..<p { absent[i, j] = x[c, j] } }
            var own = gram
            let downdate = BLAS.gram(absent)
            for k in 0..<(p * p) { own.storage[k] -= downdate.storage[k] }
            var rhs = Matrix(rows: p, columns: 1)
            for c in 0..<n where y.storage[t * n + c].isFinite {
                let v = values.storage[t * n + c]
                for j in 0..<p { rhs.storage[j] += x[c, j] * v }
            }
            guard let solution = try? LAPACK.solvePositiveDefinite(own, rhs) else { continue }
            for j in 0..<p { b[t, j] = solution.storage[j] }
        }
    }

    /// Solves gram · B = cᵀ for all targets and returns Bᵀ (targets × columns).
    private static func solve(_ gram: Matrix, _ c: Matrix) throws -> Matrix {
        do {
            return transpose(try LAPACK.solvePositiveDefinite(gram, transpose(c)))
        } catch let error as LinearAlgebraError {
            throw ModelError.insufficientHistory(
                "the seasonal design cannot be fitted (\(error)): the window has too few distinct cells for "
                    + "\(gram.rows) regressors; use fewer harmonics or a larger ridge penalty")
        }
    }

    static func transpose(_ a: Matrix) -> Matrix {
        var t = Matrix(rows: a.columns, columns: a.rows)
        for i in 0..<a.rows { for j in 0..<a.columns { t[j, i] = a[i, j] } }
        return t
    }

    /// y − coefficients · xᵀ: every target's residuals, NaN where y is missing.
    static func residuals(_ y: Matrix, coefficients: Matrix, x: Matrix) -> Matrix {
        var r = y
        subtractFit(from: &r, coefficients: coefficients, x: x)
        return r
    }

    /// Turns `y` into its residuals in place (the full fit has no use for y afterwards).
    static func subtractFit(from y: inout Matrix, coefficients: Matrix, x: Matrix) {
        BLAS.gemm(coefficients, x, transposeB: true, alpha: -1, beta: 1, into: &y)
    }
}
