import AnomalyModels

/// How the registry checks that a model file loads, by model kind. The
/// registry itself knows no model type: it reads a file's `model_kind` and
/// runs the check registered for it. A new model type adds one entry to
/// `standard`.
public struct ModelLoaders: Sendable {
    /// Loads the model at `path`, throwing (any error) if it cannot be scored.
    public typealias Check = @Sendable (_ path: String) throws -> Void

    private var checks: [String: Check] = [:]

    public init() {}

    /// Every model kind this build of Forewarn can load.
    public static var standard: ModelLoaders {
        var loaders = ModelLoaders()
        loaders.register(kind: IsolationForest.modelKind) { path in _ = try IsolationForest.load(from: path) }
        loaders.register(kind: SeasonalForecaster.modelKind) { path in _ = try SeasonalForecaster.load(from: path) }
        return loaders
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
