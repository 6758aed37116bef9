/// Precision and recall of a detector's anomaly flags against the labels, two ways.
///
/// - Point-wise, per row: precision is the share of flagged rows that are labelled, recall the
///   share of labelled rows that are flagged.
/// - Per event: a labelled segment is a maximal run of consecutive labelled rows, an incident a
///   maximal run of consecutive flagged rows. Recall is the share of segments with at least one
///   flagged row inside; precision the share of incidents with at least one labelled row inside.
///
/// Precision with nothing flagged, and recall with nothing labelled, are 0 (the detector said
/// nothing useful), so the means never reward silence.
public struct FlagMetrics: Sendable, Equatable, Codable {
    public var pointPrecision: Double
    public var pointRecall: Double
    public var eventPrecision: Double
    public var eventRecall: Double
    public var flaggedRows: Int
    public var labelledRows: Int
    public var incidents: Int
    public var segments: Int

    /// `flags` and `labels` are aligned row by row (the shorter length counts).
    public init(flags: [Bool], labels: [Bool]) {
        let n = min(flags.count, labels.count)
        let f = Array(flags.prefix(n)), l = Array(labels.prefix(n))
        let hits = (0..<n).reduce(0) { $0 + (f[$1] && l[$1] ? 1 : 0) }
        flaggedRows = f.reduce(0) { $0 + ($1 ? 1 : 0) }
        labelledRows = l.reduce(0) { $0 + ($1 ? 1 : 0) }
        let flagged = Self.runs(f), labelled = Self.runs(l)
        incidents = flagged.count
        segments = labelled.count
        pointPrecision = Self.share(hits, of: flaggedRows)
        pointRecall = Self.share(hits, of: labelledRows)
        eventPrecision = Self.share(flagged.filter { r in r.contains { l[$0] } }.count, of: incidents)
        eventRecall = Self.share(labelled.filter { r in r.contains { f[$0] } }.count, of: segments)
    }

    /// The maximal runs of `true`, in order.
    public static func runs(_ values: [Bool]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var start: Int?
        for (i, v) in values.enumerated() {
            if v, start == nil { start = i }
            if !v, let s = start { out.append(s..<i); start = nil }
        }
        if let s = start { out.append(s..<values.count) }
        return out
    }

    private static func share(_ part: Int, of whole: Int) -> Double { whole == 0 ? 0 : Double(part) / Double(whole) }
}
