import ModelKinds
import ModelRegistry

extension OfflineScorer {
    /// Loads a registered version: `version`, else the one `alias` points to. Its files are checked
    /// against their recorded checksums first, so a damaged version throws `RegistryError.damaged`
    /// (the culprit named) and no decoder reads it. The time and key fields default to its provenance.
    public static func load(
        registry: Registry, name: String, version: Int?, alias: String, timeField: String?, keyField: String?,
        kinds: ModelKinds = .standard
    ) throws -> OfflineScorer {
        let chosen = try version ?? registry.resolve(name: name, alias: alias).version
        let path = try registry.verifiedModelPath(name: name, version: chosen)
        let provenance = try registry.metadata(name: name, version: chosen).provenance
        return try load(path: path, timeField: timeField, keyField: keyField, provenance: provenance, kinds: kinds)
    }
}
