import LinearAlgebra
import Testing

@Test func gemmMultipliesWithTransposes() {
    let a = Matrix(rows: 2, columns: 3, storage: [1, 2, 3, 4, 5, 6])
    let b = Matrix(rows: 3, columns: 2, storage: [7, 8, 9, 10, 11, 12])
    #expect(BLAS.multiply(a, b).storage == [58, 64, 139, 154])
    #expect(BLAS.multiply(a, transposeA: true, a).storage == BLAS.gram(a).storage)
    #expect(BLAS.gram(a).storage == [17, 22, 27, 22, 29, 36, 27, 36, 45])
}

@Test func choleskySolvesAndRejectsIndefinite() throws {
    let a = Matrix(rows: 2, columns: 2, storage: [4, 2, 2, 3])
    let x = try LAPACK.solvePositiveDefinite(a, Matrix(rows: 2, columns: 1, storage: [2, 5]))
    #expect(abs(x[0, 0] - (-0.5)) < 1e-12 && abs(x[1, 0] - 2) < 1e-12)
    #expect(throws: LinearAlgebraError.notPositiveDefinite(order: 2)) {
        try LAPACK.solvePositiveDefinite(Matrix(rows: 2, columns: 2, storage: [1, 2, 2, 1]), Matrix(rows: 2, columns: 1))
    }
}

@Test func leastSquaresFitsALine() throws {
    // y = 1 + 2x exactly.
    let a = Matrix(rows: 4, columns: 2, storage: [1, 0, 1, 1, 1, 2, 1, 3])
    let x = try LAPACK.leastSquares(a, Matrix(rows: 4, columns: 1, storage: [1, 3, 5, 7]))
    #expect(abs(x[0, 0] - 1) < 1e-10 && abs(x[1, 0] - 2) < 1e-10)
}
