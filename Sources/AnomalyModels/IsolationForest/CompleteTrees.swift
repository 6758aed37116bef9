/// The forest's trees as they grow, in the complete-tree arrays of
/// `IsolationForest`: node `i` of a tree has children `2i+1` and `2i+2`, and a
/// leaf reached above the depth limit keeps the +infinity cut of every node on
/// its left spine down to the leaf slot holding its value.
struct CompleteTrees {
    let depth: Int
    let columns: Int
    var features: [Int32] = []
    var cuts: [Double] = []
    /// Hyperplane normals, `columns` per internal node; empty for axis-parallel trees.
    var normals: [Double] = []
    var leafValues: [Double] = []
    /// c(n) for the row counts a leaf can hold (at most the sample size), computed once.
    let pathLengths: [Double]

    var internalNodes: Int { (1 << depth) - 1 }

    init(depth: Int, columns: Int, sampleSize: Int, treeCount: Int, hyperplanes: Bool) {
        self.depth = depth; self.columns = columns
        pathLengths = (0...sampleSize).map(averagePathLength)
        let inner = (1 << depth) - 1
        features.reserveCapacity(treeCount * inner)
        cuts.reserveCapacity(treeCount * inner)
        leafValues.reserveCapacity(treeCount * (inner + 1))
        if hyperplanes { normals.reserveCapacity(treeCount * inner * columns) }
    }

    /// Appends an empty tree (every cut +infinity); returns the index of its root in `features` and `cuts`.
    mutating func beginTree(hyperplanes: Bool) -> Int {
        let base = features.count
        features.append(contentsOf: repeatElement(0, count: internalNodes))
        cuts.append(contentsOf: repeatElement(.infinity, count: internalNodes))
        leafValues.append(contentsOf: repeatElement(0, count: internalNodes + 1))
        if hyperplanes { normals.append(contentsOf: repeatElement(0, count: internalNodes * columns)) }
        return base
    }

    /// The leaf slot (0 ..< 2^depth) holding the value of a walk that ends at `node`, `level` deep.
    static func leafSlot(node: Int, level: Int, depth: Int) -> Int {
        var slot = node
        for _ in level..<depth { slot = 2 * slot + 1 }
        return slot - ((1 << depth) - 1)
    }

    /// Ends the walk at `node` of the tree at `base`, `level` deep, holding `rows` rows:
    /// its value is the depth plus c(rows).
    mutating func setLeaf(node: Int, level: Int, rows: Int, base: Int) {
        leafValues[base / internalNodes * (internalNodes + 1) + Self.leafSlot(node: node, level: level, depth: depth)] =
            Double(level) + pathLengths[rows]
    }
}
