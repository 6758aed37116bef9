import Basics
import EventArchive
import ModelKinds
import ModelRegistry

/// One ad-hoc training run (`forewarn train` without a job file): what to read, what to fit, where it goes.
public struct TrainingRequest: Sendable {
    public enum Destination: Sendable {
        /// Registered as the next version; `promoteTo` moves that alias to it.
        case registry(Registry, promoteTo: String?, reason: String?)
        /// A standalone model file, replaced atomically.
        case file(String)
    }

    public var archive: String
    public var stream: String
    public var name: String
    public var kind: any ModelKind
    /// key=value model parameters.
    public var settings: [String] = []
    public var seed: UInt64?
    /// nil: all of the stream's fields.
    public var fields: [String]?
    public var from: Int64?
    public var to: Int64?
    /// Stop at the first corrupt part instead of skipping it.
    public var strict = false
    /// Move the alias even onto a version of another shape (stream or fields) than its target.
    public var forcePromotion = false
    public var destination: Destination
    /// Hears of the read and the fit (nil: nobody is watching).
    public var progress: (any ProgressReporter)?

    public init(archive: String, stream: String, name: String, kind: any ModelKind, destination: Destination) {
        self.archive = archive
        self.stream = stream
        self.name = name
        self.kind = kind
        self.destination = destination
    }
}

/// What a training run made.
public struct TrainingOutcome {
    public var fitted: FittedModel
    public var trained: TrainedModel
    /// The registered version, or nil when the model went to a file.
    public var version: Int?
    public var promotedTo: String?
    /// Why the alias did not move onto the registered version (it reads another shape), when it did not.
    public var promotionRefusal: String?
    /// Corrupt archive parts that were skipped.
    public var skippedParts: [ArchiveProblem] { trained.report.problems }
}
