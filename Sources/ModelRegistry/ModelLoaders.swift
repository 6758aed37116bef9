import AnomalyModels
import ModelKinds

/// How the registry checks that a model file loads, by model kind. The
/// registry itself knows no model type: it reads a file's `model_kind` and
/// runs the check registered for it, which by default is the kind's own
/// `load` from the table of model kinds.
public struct ModelLoaders: Sendable {
    /// Loads the model at `path`, throwing (any error) if it cannot be scored.
    public typealias Check = @Sendable (_ path: String) throws -> Void

    private var checks: [String: Check] = [:]

    public init() {}

    /// Every model kind this build of Forewarn can load.
    public static var standard: ModelLoaders { ModelLoaders(kinds: .standard) }

    /// A check for each kind of `kinds`, under its name and its aliases.
    public init(kinds: ModelKinds) {
        for kind in kinds.all {
            for name in [kind.name] + kind.aliases { register(kind: name) { path in _ = try kind.load(path: path) } }
        }
    }

    public mutating func register(kind: String, check: @escaping Check) { checks[kind] = check }

    public var kinds: [String] { checks.keys.sorted() }

    /// Why the model file at `path` cannot be used, or nil when it loads.
    /// `expectedKind`, when given, must match the file's `model_kind`.
    func problem(loading path: String, expectedKind: String? = nil) -> String? {
        let kind: String
        do { kind = try ModelFileKind.read(from: path) } catch { return "\(error)" }
        if let expectedKind, expectedKind != kind {
            return "the file's model_kind is '\(kind)' but meta.json says '\(expectedKind)'"
        }
        guard let check = checks[kind] else {
            return "no loader for model kind '\(kind)' in this build (known: \(kinds.joined(separator: ", ")))"
        }
        do { try check(path) } catch { return "\(error)" }
        return nil
    }
}
