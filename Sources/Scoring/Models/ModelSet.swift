import ModelRegistry

/// The models the scorer serves right now: one immutable value, swapped whole
/// between batches, so every event of a batch is scored by the same versions.
public struct ModelSet: Sendable {
    public struct Entry: Sendable {
        public var ref: ServeConfig.ModelRef
        public var model: ServedModel
        /// The alias file as it was when `model` was resolved from it.
        public var stamp: AliasStamp
    }

    public var entries: [Entry]

    /// "name vN" for each model, for logs and health.
    public var versions: [String: Int] {
        Dictionary(entries.map { ($0.ref.name, $0.model.version) }, uniquingKeysWith: { a, _ in a })
    }
}

/// What happened when the watcher looked at an alias that moved.
public enum ReloadEvent: Sendable, CustomStringConvertible {
    case reloaded(name: String, from: Int, to: Int)
    case refused(ModelRefusal)

    public var description: String {
        switch self {
        case .reloaded(let name, let from, let to): "\(name): now serving v\(to) (was v\(from))"
        case .refused(let refusal): "refused \(refusal); still serving the previous version"
        }
    }
}
