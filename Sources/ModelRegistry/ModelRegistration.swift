/// What a training run hands the registry: a model file it has written
/// (anywhere; the registry copies it) and what is known about how it was made.
public struct ModelRegistration: Sendable {
    public var name: String
    /// A model file written by the model's `save(to:)`; its `model_kind` attribute names the kind.
    public var modelFile: String
    /// An optional training report, stored as `report.html`.
    public var reportFile: String?
    public var parameters: [String: String] = [:]
    public var trainingWindow: TrainingWindow?
    public var partitions: [PartitionDigest] = []
    public var rowCount = 0
    /// Finite numbers only (JSON has no NaN).
    public var metrics: [String: Double] = [:]
    /// Free-form: job spec, command line, git commit, host...
    public var provenance: [String: String] = [:]
    public var forewarnVersion: String

    public init(name: String, modelFile: String, forewarnVersion: String) {
        self.name = name
        self.modelFile = modelFile
        self.forewarnVersion = forewarnVersion
    }

    func validate() throws(RegistryError) {
        try RegistryName.check(name, what: "model name")
        guard rowCount >= 0 else { throw .invalidRegistration("row count \(rowCount) is negative") }
        if let (key, value) = metrics.first(where: { !$0.value.isFinite }) {
            throw .invalidRegistration("metric '\(key)' is \(value); metrics must be finite numbers")
        }
        if let p = partitions.first(where: { $0.rows < 0 }) {
            throw .invalidRegistration("partition \(p.path) has a negative row count")
        }
    }
}
