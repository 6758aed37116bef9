/// The `meta.json` of a version: everything needed to know what the model is,
/// where it came from and whether its files are intact. Keys are snake_case
/// and documented in docs/registry.md; the file is written once and never
/// changed.
public struct ModelVersionMetadata: Codable, Equatable, Sendable {
    /// `meta.json`'s own layout version; readers refuse newer ones.
    public static let currentFormatVersion = 1

    public var formatVersion: Int
    public var name: String
    public var version: Int
    /// The model file's `model_kind` attribute (`isolation-forest`, ...).
    public var modelKind: String
    public var parameters: [String: String]
    public var trainingWindow: TrainingWindow?
    public var partitions: [PartitionDigest]
    public var rowCount: Int
    public var metrics: [String: Double]
    public var provenance: [String: String]
    /// RFC 3339, UTC, with milliseconds.
    public var createdAt: String
    public var createdBy: String
    public var forewarnVersion: String
    /// Every other file of the version (`model.h5`, `report.html`) with its size and SHA-256.
    public var files: [String: FileDigest]

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version", name, version, modelKind = "model_kind", parameters
        case trainingWindow = "training_window", partitions, rowCount = "row_count", metrics, provenance
        case createdAt = "created_at", createdBy = "created_by", forewarnVersion = "forewarn_version", files
    }
}

/// The span of event time a model was trained on, [from, to), as RFC 3339 strings.
public struct TrainingWindow: Codable, Equatable, Sendable {
    public var from: String
    public var to: String

    public init(from: String, to: String) {
        self.from = from
        self.to = to
    }
}

/// One archive part a training run read: lineage precise enough to tell
/// whether the data under a model has changed since.
public struct PartitionDigest: Codable, Equatable, Sendable {
    /// The part's path relative to the archive root (`meters/date=2026-01-02/hour=03/part-0001.h5`).
    public var path: String
    /// SHA-256 of the part file's bytes (see `SHA256.hex(ofFile:)`).
    public var sha256: String
    public var rows: Int

    public init(path: String, sha256: String, rows: Int) {
        self.path = path
        self.sha256 = sha256
        self.rows = rows
    }
}

/// A stored file's size and content hash.
public struct FileDigest: Codable, Equatable, Sendable {
    public var bytes: Int64
    public var sha256: String

    public init(bytes: Int64, sha256: String) {
        self.bytes = bytes
        self.sha256 = sha256
    }
}

extension PartitionDigest {
    /// The digest of the archive part at `<archiveRoot>/<path>`, which training read `rows` rows from.
    public static func of(part path: String, archiveRoot: String, rows: Int) throws -> PartitionDigest {
        PartitionDigest(path: path, sha256: try SHA256.hex(ofFile: "\(archiveRoot)/\(path)"), rows: rows)
    }
}
