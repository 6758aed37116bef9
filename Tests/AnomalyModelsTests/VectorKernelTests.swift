import CForestKernel
import Testing

@testable import AnomalyModels

/// The AVX-512 scoring kernel (`CForestKernel`) against the scalar packed kernel: the same leaf in
/// every tree for every row, so bit-identical scores, for every shape it takes and the ones it declines.
@Suite struct VectorKernelTests {
    static func rows(_ n: Int, columns: Int, seed: UInt64) -> FeatureMatrix {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        var values: [Double] = []
        for i in 0..<(n * columns) {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let u = Double(state >> 11) / Double(1 << 53)
            // Mostly smooth values, some repeats (ties on cuts), a few far out and a few missing.
            switch i % 97 {
            case 0: values.append(.nan)
            case 1: values.append(1e12 * (u - 0.5))
            case 2...9: values.append(Double(Int(u * 4)))
            default: values.append(10 * u - 3)
            }
        }
        return FeatureMatrix(rows: n, columns: columns, values: values)
    }

    /// Rows whose value sits on a cut of the first trees, or one ulp to either side (ties decide the branch).
    static func onTheCuts(of forest: IsolationForest) -> FeatureMatrix {
        var values: [Double] = []
        for t in 0..<min(4, forest.treeCount) {
            for i in 0..<forest.internalNodes where forest.cuts[t * forest.internalNodes + i].isFinite {
                let j = Int(forest.features[t * forest.internalNodes + i])
                let z = forest.cuts[t * forest.internalNodes + i]
                for v in [z, z.nextUp, z.nextDown] {
                    var row = forest.scaler.center
                    row[j] = v * forest.scaler.scale[j] + forest.scaler.center[j]
                    values += row
                }
            }
        }
        return FeatureMatrix(rows: values.count / forest.columns, columns: forest.columns, values: values)
    }

    @Test(arguments: [1, 2, 3, 5, 8, 9, 12, 16, 17, 21, 32, 33, 64, 200, 1_025])
    func vectorAndScalarKernelsScoreEveryRowIdentically(columns: Int) throws {
        for (samples, rowCount) in [(256, 1_000), (64, 517), (8, 33)] {
            var p = IsolationForestParameters()
            p.trees = 40
            p.sampleSize = samples
            p.seed = UInt64(columns * 100 + samples)
            let x = Self.rows(rowCount, columns: columns, seed: UInt64(columns))
            let forest = try IsolationForest.fit(x, featureNames: (0..<columns).map { "f\($0)" }, parameters: p)
            let packed = try #require(forest.packed)
            let expectVector = fw_forest_kernel_available() == 1 && forest.depth <= 8
            #expect(packed.hasVectorKernel == expectVector, "columns \(columns), depth \(forest.depth)")
            let norm = -1 / (Double(forest.treeCount) * averagePathLength(forest.samplesPerTree))
            for rows in [x, Self.onTheCuts(of: forest)] {
                let vector = forest.scorePacked(packed, rows, norm: norm, vector: true)
                let scalar = forest.scorePacked(packed, rows, norm: norm, vector: false)
                let differing = zip(vector, scalar).filter { $0.bitPattern != $1.bitPattern }.count
                #expect(vector.count == scalar.count && differing == 0, "columns \(columns), \(samples) samples")
            }
        }
    }

    @Test func theKernelDeclinesShapesItCannotTake() {
        var acc = [Double](repeating: 0, count: 64)
        let keys = [UInt32](repeating: 0, count: 64 * 3)
        let cuts = [UInt32](repeating: 0, count: 256), features = [Int32](repeating: 0, count: 256)
        let leaves = [Double](repeating: 1, count: 512)
        #expect(fw_forest_accumulate(cuts, features, leaves, 1, 9, keys, 3, 32, 32, &acc) == 0, "deeper than 8")
        #expect(fw_forest_accumulate(cuts, features, leaves, 1, 8, keys, 65_537, 64, 32, &acc) == 0, "more than 65,536 columns")
        #expect(fw_forest_accumulate(cuts, features, leaves, 1, 8, keys, 3, 96, 32, &acc) == 0, "stride not a multiple of 64")
        #expect(acc.allSatisfy { $0 == 0 }, "a declined call writes nothing")
        if fw_forest_kernel_available() == 1 {
            #expect(fw_forest_accumulate(cuts, features, leaves, 1, 8, keys, 3, 64, 32, &acc) == 1)
            #expect(acc.allSatisfy { $0 == 1 }, "every row reaches a leaf worth 1")
        }
    }
}
