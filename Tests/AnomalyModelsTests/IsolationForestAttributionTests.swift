import Testing

@testable import AnomalyModels

/// Attribution: the feature that makes a row unusual is the one named first.
@Suite struct IsolationForestAttributionTests {
    static func rows(_ n: Int, columns d: Int, seed: UInt64) -> FeatureMatrix {
        var rng = RandomSource(seed: seed)
        return FeatureMatrix(rows: n, columns: d, values: (0..<(n * d)).map { _ in rng.normal() })
    }

    @Test(arguments: [false, true])
    func aPerturbedFeatureIsNamedFirstAtLeast95PercentOfTheTime(extended: Bool) throws {
        let d = 10
        var p = IsolationForestParameters()
        p.extended = extended
        p.seed = 2
        let forest = try IsolationForest.fit(Self.rows(5_000, columns: d, seed: 1), featureNames: (0..<d).map { "m\($0)" }, parameters: p)
        var probes = Self.rows(1_000, columns: d, seed: 9)
        var rng = RandomSource(seed: 4)
        var perturbed: [Int] = []
        for r in 0..<probes.rows {
            let j = rng.below(d)
            perturbed.append(j)
            probes.values[r * d + j] += (rng.below(2) == 0 ? -1 : 1) * (5 + 3 * abs(rng.normal()))
        }
        let shares = forest.attribution(probes)
        var hits = 0
        for r in 0..<probes.rows {
            let row = Array(shares[(r * d)..<((r + 1) * d)])
            #expect(abs(row.reduce(0, +) - 1) < 1e-9)
            if row.indices.max(by: { row[$0] < row[$1] }) == perturbed[r] { hits += 1 }
        }
        #expect(Double(hits) / Double(probes.rows) >= 0.95, "\(hits) of \(probes.rows) named first")
    }

    @Test func anOrdinaryRowSpreadsItsCredit() throws {
        let forest = try IsolationForest.fit(Self.rows(2_000, columns: 4, seed: 1), featureNames: ["a", "b", "c", "d"], parameters: IsolationForestParameters())
        let shares = forest.attribution(FeatureMatrix(rows: 1, columns: 4, values: [0, 0, 0, 0]))
        #expect(shares.allSatisfy { $0 > 0.1 && $0 < 0.4 }, "\(shares)")
    }
}

extension IsolationForestAttributionTests {
    @Test func nodeSizesRecoverEachTreesSample() throws {
        var p = IsolationForestParameters()
        p.trees = 20
        let forest = try IsolationForest.fit(Self.rows(3_000, columns: 5, seed: 3), featureNames: ["a", "b", "c", "d", "e"], parameters: p)
        let sizes = forest.nodeSizes()
        let nodes = 2 * forest.internalNodes + 1
        for t in 0..<forest.treeCount { #expect(sizes[t * nodes] == Double(forest.samplesPerTree), "tree \(t)") }
    }
}
