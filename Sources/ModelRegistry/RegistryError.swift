/// Why a registry operation was refused or failed. Every case names what the
/// operator has to look at; nothing in the registry changed when one is thrown,
/// except where the case says so.
public enum RegistryError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A model name or alias that is not safe as a file name and a shell word.
    case invalidName(what: String, value: String, reason: String)
    case unknownModel(name: String, known: [String])
    case unknownVersion(name: String, version: Int, known: [Int])
    case unknownAlias(name: String, alias: String, known: [String])
    /// A version (or a file offered for registration) failed its checks.
    case damaged([RegistryProblem])
    /// A registration that cannot be recorded as given (a NaN metric, a missing file...).
    case invalidRegistration(String)
    /// A version of another kind under a name whose versions are all of `kind`: a name keeps its kind.
    case kindChange(name: String, kind: String, versions: [Int], given: String)
    /// A promotion to a version that reads another stream or other fields than the alias's current one.
    case shapeChange(name: String, alias: String, from: Int, to: Int, differences: [String])
    /// A version registered with an alias to move that was left where it was: the new version reads another
    /// shape than the alias's target (`register(_:promoteTo:reason:force:)` without `force`).
    case registeredNotPromoted(name: String, version: Int, alias: String, from: Int, differences: [String])
    /// `rollback` without `--to` when the alias has no earlier target, or that target is gone.
    case noRollbackTarget(name: String, alias: String, reason: String)
    case invalidArgument(String)
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidName(let what, let value, let reason): "invalid \(what) '\(value)': \(reason)"
        case .unknownModel(let name, let known):
            "no model '\(name)' in the registry" + Self.listing("models", known)
        case .unknownVersion(let name, let version, let known):
            "model '\(name)' has no version \(version)" + Self.listing("versions", known.map(String.init))
        case .unknownAlias(let name, let alias, let known):
            "model '\(name)' has no alias '\(alias)'" + Self.listing("aliases", known)
        case .damaged(let problems): problems.map(\.description).joined(separator: "\n")
        case .invalidRegistration(let reason): "cannot register: \(reason)"
        case .kindChange(let name, let kind, let versions, let given):
            "model '\(name)' is of kind \(kind) (version\(versions.count == 1 ? "" : "s") \(versions.map(String.init).joined(separator: ", "))), "
                + "this model is of kind \(given): a model name keeps its kind, so the scorer and every alias go on meaning the same model. "
                + "Train the \(given) under a new name (--name)"
        case .shapeChange(let name, let alias, let from, let to, let differences):
            "\(name) version \(to) reads another shape than version \(from), which \(alias) points at: "
                + differences.joined(separator: "; ")
                + ". A scorer of \(alias) would refuse it and go on serving version \(from); promote with --force if the scorers' inputs changed too"
        case .registeredNotPromoted(let name, let version, let alias, let from, let differences):
            "registered \(name) version \(version) but left \(alias) at version \(from): version \(version) reads another shape "
                + "(\(differences.joined(separator: "; "))), so a scorer of \(alias) would refuse it and go on serving version \(from). "
                + "If the scorers' inputs changed too: forewarn models promote \(name) \(version) --alias \(alias) --force (or train with --force)"
        case .noRollbackTarget(let name, let alias, let reason):
            "cannot roll back alias '\(alias)' of '\(name)': \(reason) (name a version with --to)"
        case .invalidArgument(let reason): reason
        case .io(let path, let reason): "\(path): \(reason)"
        }
    }

    private static func listing(_ what: String, _ known: [String]) -> String {
        known.isEmpty ? " (there are no \(what))" : " (\(what): \(known.joined(separator: ", ")))"
    }
}

/// One thing wrong in the registry, located as precisely as it can be.
public struct RegistryProblem: Error, Equatable, Codable, CustomStringConvertible, Sendable {
    public var name: String
    public var version: Int?
    /// The file concerned, relative to the model's directory (`versions/3/model.h5`).
    public var file: String?
    public var reason: String

    public init(name: String, version: Int? = nil, file: String? = nil, reason: String) {
        self.name = name
        self.version = version
        self.file = file
        self.reason = reason
    }

    public var description: String {
        var place = name
        if let version { place += " v\(version)" }
        if let file { place += " (\(file))" }
        return "\(place): \(reason)"
    }
}
