/// The child Python's answer for one case: the sliding window it evaluated with, and per detector
/// TSB-AD's metrics (`VUS-PR`, `AUC-PR`, ...) or why there are none.
public struct ReferenceReply: Decodable, Sendable {
    public struct Detector: Decodable, Sendable {
        public var name: String
        public var metrics: [String: Double]?
        public var error: String?
        /// A reference detector's flags file (raw float64, one per test row).
        public var flags: String?
    }

    public var period: Int?
    public var detectors: [Detector]?
    public var error: String?
}
