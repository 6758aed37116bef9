import ModelKinds
import ModelRegistry

/// What `serve` would find at start for one configured model, found the same way (`ModelWatcher`'s load,
/// without the archive warm-up): the version its alias names, verified and loaded, its fields checked
/// against its input stream; and, as a warning, a version trained on another stream than the one it scores.
public struct ServeModelCheck: Sendable {
    public var ref: ServeConfig.ModelRef
    /// The version the alias names, when it resolved.
    public var version: Int?
    public var kind: String?
    /// Why serve would refuse to start with it; nil when it would serve it.
    public var refusal: ModelRefusal?
    /// Not fatal to serving, but likely a mistake.
    public var warnings: [String] = []

    /// One check per model of `config`, in its order.
    public static func run(_ config: ServeConfig, kinds: ModelKinds = .standard) -> [ServeModelCheck] {
        let registry = Registry(root: config.registry)
        let specs = Dictionary(config.inputs.map { ($0.spec.stream, $0.spec) }, uniquingKeysWith: { a, _ in a })
        return config.models.map { ref in
            var check = ServeModelCheck(ref: ref)
            guard let spec = specs[ref.stream] ?? config.inputs.first?.spec else {
                check.refusal = ModelRefusal(name: ref.name, version: nil, reason: "no input stream '\(ref.stream)'")
                return check
            }
            do throws(ModelRefusal) {
                let (model, _) = try ModelWatcher.load(ref, registry: registry, spec: spec, archive: nil, kinds: kinds)
                check.version = model.version
                let meta = try? registry.metadata(name: ref.name, version: model.version)
                check.kind = meta?.modelKind
                if let trained = meta.flatMap({ ModelShape($0).stream }), trained != spec.stream {
                    check.warnings.append("v\(model.version) was trained on stream '\(trained)', and scores input stream '\(spec.stream)'")
                }
            } catch {
                check.version = error.version
                check.refusal = error
            }
            return check
        }
    }
}
