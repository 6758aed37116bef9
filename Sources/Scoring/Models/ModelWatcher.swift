import EventArchive
import Foundation
import ModelKinds
import ModelRegistry
import Synchronization

/// Follows the aliases of the served models and swaps in a newly promoted
/// version once it has loaded and fits its stream.
///
/// Loading happens on the watcher's task, never on the scoring path; the
/// pipeline only reads `current` between batches. A version that fails to
/// load, or reads fields its stream lacks, is refused and the old one stays.
public final class ModelWatcher: Sendable {
    public let registry: Registry
    private let specs: [String: StreamSpec]
    /// Where forecasters warm their state from.
    private let archive: String?
    /// How model files are loaded.
    private let kinds: ModelKinds
    private let state: Mutex<ModelSet>

    /// Loads the version every configured alias points to; any failure here is fatal to serving.
    public init(
        registry: Registry, models: [ServeConfig.ModelRef], inputs: [ServeConfig.Input], archive: String? = nil,
        kinds: ModelKinds = .standard
    ) throws {
        self.registry = registry
        self.archive = archive
        self.kinds = kinds
        specs = Dictionary(inputs.map { ($0.spec.stream, $0.spec) }, uniquingKeysWith: { a, _ in a })
        var entries: [ModelSet.Entry] = []
        for ref in models {
            let (model, stamp) = try Self.load(ref, registry: registry, spec: specs[ref.stream] ?? inputs[0].spec, archive: archive, kinds: kinds)
            entries.append(ModelSet.Entry(ref: ref, model: model, stamp: stamp))
        }
        state = Mutex(ModelSet(entries: entries))
    }

    /// The models to score the next batch with.
    public var current: ModelSet { state.withLock { $0 } }

    /// Looks at every alias once; loads and swaps in what moved.
    @discardableResult
    public func check() -> [ReloadEvent] {
        let snapshot = current
        var events: [ReloadEvent] = []
        var updated = snapshot.entries
        for (k, entry) in snapshot.entries.enumerated() {
            let ref = entry.ref
            guard let stamp = registry.aliasStamp(name: ref.name, alias: ref.alias), stamp != entry.stamp else { continue }
            guard let spec = specs[ref.stream] else { continue }
            do {
                let (model, loadedStamp) = try Self.load(ref, registry: registry, spec: spec, archive: archive, kinds: kinds)
                updated[k] = ModelSet.Entry(ref: ref, model: model, stamp: loadedStamp)
                events.append(.reloaded(name: ref.name, from: entry.model.version, to: model.version))
            } catch {
                // Remember the stamp so a refused version is reported once, not at every look.
                updated[k].stamp = stamp
                events.append(.refused(error))
            }
        }
        if updated.map(\.stamp) != snapshot.entries.map(\.stamp) {
            state.withLock { $0.entries = updated }
        }
        return events
    }

    /// Resolves the alias and loads the version it names, once its files match their checksums.
    static func load(_ ref: ServeConfig.ModelRef, registry: Registry, spec: StreamSpec, archive: String?, kinds: ModelKinds)
        throws(ModelRefusal)
        -> (ServedModel, AliasStamp)
    {
        let resolved: ResolvedModel
        do { resolved = try registry.resolve(name: ref.name, alias: ref.alias) } catch {
            throw ModelRefusal(name: ref.name, version: nil, reason: "\(error)")
        }
        let path: String
        do { path = try registry.verifiedModelPath(name: ref.name, version: resolved.version) } catch {
            throw ModelRefusal(name: ref.name, version: resolved.version, reason: "damaged: \(error)")
        }
        let model = try ModelLoading.load(
            name: ref.name, version: resolved.version, path: path, spec: spec, archive: archive, kinds: kinds)
        return (model, resolved.stamp)
    }

    /// Checks whenever an alias directory changes (inotify), and every
    /// `fallback` anyway, until cancelled; reports each event to `report`.
    public func watch(fallback: Duration = .milliseconds(500), report: @Sendable (ReloadEvent) -> Void) async {
        let directories = Set(current.entries.map { "\(registry.root)/\($0.ref.name)/aliases" })
        let notifier = DirectoryNotifier(directories: Array(directories))
        let clock = ContinuousClock()
        var lastCheck = clock.now
        while !Task.isCancelled {
            let changed = notifier?.drain() ?? false
            if changed || clock.now - lastCheck >= fallback {
                for event in check() { report(event) }
                lastCheck = clock.now
            }
            try? await Task.sleep(for: .milliseconds(notifier == nil ? 100 : 25))
        }
    }
}
