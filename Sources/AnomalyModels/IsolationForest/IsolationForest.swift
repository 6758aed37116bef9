/// A fitted isolation forest, laid out for fast batch scoring.
///
/// Every tree is stored as a complete binary tree of the forest's depth: node
/// `i` has children `2i+1` (left, `x <= t`) and `2i+2`. A leaf that the fit
/// reached above the depth limit becomes a node whose cut sends every row left
/// (threshold +infinity) down to a leaf slot holding its value. Scoring is then
/// a fixed number of compare-and-step iterations per tree, with no branches on
/// the tree's shape, over arrays that stay in cache.
public struct IsolationForest: Sendable {
    public let parameters: IsolationForestParameters
    public let featureNames: [String]
    public let scaler: FeatureScaler
    /// The depth every tree is padded to.
    public let depth: Int
    public let treeCount: Int
    /// Rows each tree was fitted on: min(sample size, training rows).
    public let samplesPerTree: Int
    /// Score above which a row is an anomaly.
    public var threshold: Double
    /// Axis-parallel cuts: feature of each internal node (`treeCount * internalNodes`).
    let features: [Int32]
    /// Cut value of each internal node (for hyperplane cuts, the offset n·p).
    let cuts: [Double]
    /// Hyperplane normals, `internalNodes * columns` per tree; empty for axis-parallel forests.
    let normals: [Double]
    /// depth + c(n) of each leaf slot (`treeCount * leaves`).
    let leafValues: [Double]
    /// The axis-parallel trees repacked for scoring (see `PackedTrees`); nil
    /// for hyperplane forests and for files whose cuts are not float32 values.
    let packed: PackedTrees?
    /// The context features its rows are built with; nil when it sees the stream fields alone.
    public var context: StreamContext? = nil
    /// Turns its scores into tail probabilities; nil for files written before calibration existed.
    public var calibration: ScoreCalibration? = nil
    /// The alarm rate `threshold` was set from (a tail probability), or nil when it came from
    /// `contamination` or a fixed `threshold`.
    public var alarmRate: Double? = nil

    public var internalNodes: Int { (1 << depth) - 1 }
    public var leaves: Int { 1 << depth }
    public var columns: Int { featureNames.count }
    public var isExtended: Bool { !normals.isEmpty }

    init(
        parameters: IsolationForestParameters, featureNames: [String], scaler: FeatureScaler, depth: Int,
        treeCount: Int, samplesPerTree: Int, threshold: Double, features: [Int32], cuts: [Double],
        normals: [Double], leafValues: [Double]
    ) {
        self.parameters = parameters; self.featureNames = featureNames; self.scaler = scaler
        self.depth = depth; self.treeCount = treeCount; self.samplesPerTree = samplesPerTree
        self.threshold = threshold; self.features = features; self.cuts = cuts; self.normals = normals
        self.leafValues = leafValues
        packed = normals.isEmpty ? PackedTrees(
                depth: depth, treeCount: treeCount, features: features, cuts: cuts, columns: featureNames.count,
                blockRows: Self.blockRows) : nil
    }
}
