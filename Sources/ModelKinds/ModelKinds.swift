import AnomalyModels

/// The table of model kinds this build knows. Training, the registry, `serve`
/// and `score` all look kinds up here, so a new kind is one conforming type
/// added to `standard` (or, in a test, to a table of its own).
public struct ModelKinds: Sendable {
    public private(set) var all: [any ModelKind]

    public init(_ kinds: [any ModelKind]) { all = kinds }

    /// Every kind Forewarn ships.
    public static let standard = ModelKinds([IsolationForestKind(), SeasonalForecasterKind()])

    /// This table and `kind`, which replaces a kind of the same name.
    public func adding(_ kind: any ModelKind) -> ModelKinds {
        ModelKinds(all.filter { $0.name != kind.name } + [kind])
    }

    /// Canonical names, in table order.
    public var names: [String] { all.map(\.name) }

    /// The kind `text` names (canonically or by an alias).
    public func kind(named text: String) throws(ModelKindError) -> any ModelKind {
        guard let kind = all.first(where: { $0.answers(to: text) }) else {
            let known = all.map { k in ([k.name] + k.aliases).joined(separator: " or ") }.joined(separator: ", ")
            throw ModelKindError("unknown model kind '\(text)' (this build knows \(known))")
        }
        return kind
    }

    /// The kind of the model file at `path`, from its `model_kind` attribute.
    public func kind(ofFile path: String) throws -> any ModelKind {
        try kind(named: try ModelFileKind.read(from: path))
    }

    /// Loads the model file at `path` with its kind's adapter.
    public func load(path: String) throws -> (kind: any ModelKind, model: any ScoringModel) {
        let kind = try kind(ofFile: path)
        return (kind, try kind.load(path: path))
    }
}
