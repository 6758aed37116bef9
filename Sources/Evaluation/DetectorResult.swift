/// One detector's figures on one benchmark file, or why it has none.
public struct DetectorResult: Sendable {
    public var detector: String
    /// A Forewarn model kind (the others are the child Python's reference detectors).
    public var isForewarn: Bool
    /// Why the detector has no figures here (a refused fit, a failed evaluation); counts as 0 in the means.
    public var failure: String?
    /// TSB-AD's `get_metrics` on the detector's scores (`VUS-PR`, `AUC-PR`, `VUS-ROC`, ...).
    public var metrics: [String: Double] = [:]
    public var flags: FlagMetrics?
    /// Forewarn kinds only: fit and scoring time, test rows left unscored, the fit's figures and warnings.
    public var fitSeconds: Double?
    public var scoreSeconds: Double?
    public var unscored: Int?
    public var fitMetrics: [String: Double] = [:]
    public var notes: [String] = []
    /// What the fit chose and why (`train`'s summary lines: periods, profile, threshold).
    public var fitLines: [String] = []

    public init(detector: String, isForewarn: Bool, failure: String? = nil) {
        self.detector = detector
        self.isForewarn = isForewarn
        self.failure = failure
    }

    public var vusPR: Double? { metrics["VUS-PR"] }
    public var aucPR: Double? { metrics["AUC-PR"] }
}
