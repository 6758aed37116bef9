/// What the detection bench found on one benchmark file.
public struct FileResult: Sendable {
    public var set: String
    public var name: String
    /// How it was split (nil when the file could not be read).
    public var split: DetectionSplit?
    public var trainRows = 0
    public var testRows = 0
    public var fields = 0
    public var labelledRows = 0
    public var segments = 0
    /// The sliding window TSB-AD's `find_length_rank` chose (VUS and the windowed reference use it).
    public var period: Int?
    public var detectors: [DetectorResult] = []
    /// Against the set's interpretation labels: `<detector>@100` and `<detector>@150` (HitRate@P%), for each
    /// Forewarn kind that attributes and for `robust-z` (metrics ranked by their robust z-score); and the rows
    /// they count over. Empty for a set without such labels.
    public var hitRates: [String: Double] = [:]
    public var interpretedRows = 0
    /// Why the file itself could not be evaluated (unreadable, no labels): it is left out of every mean.
    public var failure: String?

    public init(set: String, name: String) {
        self.set = set
        self.name = name
    }

    public func result(of detector: String) -> DetectorResult? { detectors.first { $0.detector == detector } }
}
