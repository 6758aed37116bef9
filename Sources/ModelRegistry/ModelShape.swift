/// What a scorer needs a version to read: the stream it was trained on and its fields, in order, as
/// training records them in a version's provenance. An alias moved between versions of different shapes
/// names a model the scorer refuses (it keeps serving the old one), so promotion compares them.
public struct ModelShape: Equatable, Sendable {
    public static let streamKey = "stream"
    public static let fieldsKey = "fields"

    public var stream: String?
    public var fields: [String]?

    public init(_ meta: ModelVersionMetadata) { self.init(provenance: meta.provenance) }

    public init(provenance: [String: String]) {
        stream = provenance[Self.streamKey]
        fields = provenance[Self.fieldsKey].map { $0.split(separator: ",").map(String.init) }
    }

    /// How `other` differs, in words (empty when alike or when either side does not say: versions trained
    /// before fields were recorded compare on their stream alone).
    public func differences(to other: ModelShape) -> [String] {
        var out: [String] = []
        if let a = stream, let b = other.stream, a != b { out.append("stream '\(a)' against '\(b)'") }
        if let a = fields, let b = other.fields, a != b {
            out.append("fields \(a.joined(separator: ", ")) against \(b.joined(separator: ", "))")
        }
        return out
    }
}
