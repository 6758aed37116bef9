import CForestKernel

/// Axis-parallel trees in the layout the scoring kernel walks.
///
/// A node is one 64-bit word: the cut's order key (`key(_:)`) in the low half
/// and, in the high half, where the node's feature starts in a column-major
/// block of row keys (feature × `blockRows`), so a step of a walk is one load
/// for the node, one for the row's key, and an unsigned integer compare. Nodes are
/// numbered as a 1-based heap (children of `i` are `2i` and `2i + 1`), so a
/// step is a single shift-and-add.
///
/// Exactness: the fitter makes every cut a float32 value c. For a float64 z,
/// z > c holds exactly when z rounded *up* to float32 is > c, so comparing
/// keys of rounded-up row values with keys of the cuts takes every branch the
/// float64 comparison in the file's semantics takes. A file whose cuts are not
/// float32 values scores through the unpacked arrays instead.
struct PackedTrees: Sendable {
    /// `2^depth` words per tree; word 0 of each tree is unused.
    let nodes: [UInt64]

    /// Rows in the column-major key blocks the nodes address.
    let blockRows: Int

    /// The same trees for the vector kernel (`CForestKernel`): per tree, 256
    /// cut keys and 256 feature indexes in heap order; empty when the kernel
    /// cannot take this forest (deeper than 8, more than 65,536 features) or CPU.
    let vectorCuts: [UInt32]
    let vectorFeatures: [Int32]

    init?(depth: Int, treeCount: Int, features: [Int32], cuts: [Double], columns: Int, blockRows: Int) {
        let inner = (1 << depth) - 1, stride = 1 << depth
        let vector = (1...8).contains(depth) && (1...65_536).contains(columns) && blockRows % 64 == 0
            && fw_forest_kernel_available() == 1
        var nodes = [UInt64](repeating: 0, count: treeCount * stride)
        var vectorCuts = [UInt32](repeating: 0, count: vector ? treeCount * 256 : 0)
        var vectorFeatures = [Int32](repeating: 0, count: vector ? treeCount * 256 : 0)
        for t in 0..<treeCount {
            for i in 0..<inner {
                let cut = cuts[t * inner + i]
                let narrow = Float(cut)
                guard Double(narrow) == cut else { return nil }
                let column = UInt64(features[t * inner + i]) * UInt64(blockRows)
                nodes[t * stride + i + 1] = column << 32 | UInt64(Self.key(narrow))
                if vector {
                    vectorCuts[t * 256 + i + 1] = Self.key(narrow)
                    vectorFeatures[t * 256 + i + 1] = features[t * inner + i]
                }
            }
        }
        self.nodes = nodes
        self.blockRows = blockRows
        self.vectorCuts = vectorCuts
        self.vectorFeatures = vectorFeatures
    }

    var hasVectorKernel: Bool { !vectorCuts.isEmpty }

    /// An unsigned key ordered as the floats are (-0 and +0 share one key).
    @inline(__always)
    static func key(_ value: Float) -> UInt32 {
        let bits = (value == 0 ? 0 : value).bitPattern
        return bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
    }

    /// The key of a float64 value rounded up to float32 (see the type's note on exactness).
    @inline(__always)
    static func keyRoundingUp(_ value: Double) -> UInt32 {
        var narrow = Float(value)
        if Double(narrow) < value { narrow = narrow.nextUp }
        return key(narrow)
    }

    /// A cut in [lo, hi) that is a float32 value, near `t` (itself in [lo, hi)); nil when no float32 lies in [lo, hi).
    static func representableCut(_ t: Double, lo: Double, hi: Double) -> Double? {
        var f = Float(t)
        if Double(f) >= hi { f = f.nextDown }
        if Double(f) < lo { f = f.nextUp }
        let cut = Double(f)
        return cut >= lo && cut < hi ? cut : nil
    }
}
