import Foundation

/// The model registry: numbered, immutable versions of each named model,
/// aliases pointing at versions, and an append-only history, all as plain
/// files under `root` (docs/registry.md). Readers never lock and never write;
/// each mutation takes the model's lock, and is a sequence of atomic renames
/// so that a crash between any two steps leaves a consistent registry.
public struct Registry: Sendable {
    public let root: String
    /// How to check that a version's model file loads, by model kind.
    public var loaders: ModelLoaders
    /// Recorded in history as who made each change.
    public var user: String
    public var clock: @Sendable () -> Date = { Date() }
    /// Called between the steps of every mutation; tests throw from it to simulate a crash.
    public var faultHook: @Sendable (FaultPoint) throws -> Void = { _ in }

    let layout: RegistryLayout

    public init(root: String, loaders: ModelLoaders = .standard, user: String = Registry.currentUser()) {
        self.root = root
        self.loaders = loaders
        self.user = user
        layout = RegistryLayout(root: root)
    }

    /// The login name from the environment, else from the password database, else the numeric user id.
    public static func currentUser() -> String {
        let env = ProcessInfo.processInfo.environment
        if let name = env["USER"] ?? env["LOGNAME"], !name.isEmpty { return name }
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return "uid \(getuid())"
    }

    // MARK: Reading

    /// The models in the registry, sorted.
    public func names() -> [String] {
        entries(root).filter { RegistryName.isValid($0) && isDirectory(layout.versions($0)) }.sorted()
    }

    /// The versions of `name`, ascending.
    public func versions(of name: String) throws(RegistryError) -> [Int] {
        try checkModel(name)
        return versionsOnDisk(name)
    }

    public func metadata(name: String, version: Int) throws(RegistryError) -> ModelVersionMetadata {
        try checkVersion(name, version)
        return try readMetadata(name, version)
    }

    /// The directory of a version (after checking the version exists). To load its model, ask
    /// `verifiedModelPath`, which checks the files first.
    public func versionDirectory(name: String, version: Int) throws(RegistryError) -> String {
        try checkVersion(name, version)
        return layout.version(name, version)
    }

    /// Each alias of `name` and the version it points to.
    public func aliases(of name: String) throws(RegistryError) -> [String: Int] {
        try checkModel(name)
        var result: [String: Int] = [:]
        for alias in entries(layout.aliases(name)) where RegistryName.isValid(alias) {
            result[alias] = try aliasTarget(name, alias)
        }
        return result
    }

    public func history(of name: String) throws(RegistryError) -> [HistoryEntry] {
        try checkModelOrRuns(name)
        return try HistoryLog.read(layout.history(name), name: name)
    }

    /// What `alias` of `name` points to: the version the scorer loads (through
    /// `verifiedModelPath`). The stamp is taken before the alias is read, so a
    /// change racing with this call shows up as a changed stamp next time.
    public func resolve(name: String, alias: String) throws(RegistryError) -> ResolvedModel {
        try RegistryName.check(alias, what: "alias")
        try checkModel(name)
        guard let stamp = aliasStamp(name: name, alias: alias), let version = try aliasTarget(name, alias) else {
            throw .unknownAlias(name: name, alias: alias, known: try aliases(of: name).keys.sorted())
        }
        return ResolvedModel(
            name: name, alias: alias, version: version, metadata: try metadata(name: name, version: version), stamp: stamp)
    }

    /// The identity of the alias file as it is now, or nil when there is none.
    /// Every alias change renames a new file into place, so any change of
    /// target changes the stamp; comparing stamps costs one stat(2).
    public func aliasStamp(name: String, alias: String) -> AliasStamp? {
        AliasStamp(path: layout.alias(name, alias))
    }

    /// Problems with one version: its meta.json, checksums, and whether its model loads.
    public func problems(name: String, version: Int) throws(RegistryError) -> [RegistryProblem] {
        try checkVersion(name, version)
        return versionProblems(name, version)
    }

    // MARK: Helpers shared by readers and writers

    /// The model kind of `name`'s versions on disk (the newest one's), or nil when it has none.
    public func kind(of name: String) -> String? {
        guard let newest = versionsOnDisk(name).max() else { return nil }
        return try? readMetadata(name, newest).modelKind
    }

    /// Refuses a version of `kind` under `name` when `name` already holds versions of another kind.
    /// `train` asks before it reads the archive; `register` asks again under the model's lock.
    public func checkKind(_ kind: String, for name: String) throws(RegistryError) {
        guard let existing = self.kind(of: name), existing != kind else { return }
        throw .kindChange(name: name, kind: existing, versions: versionsOnDisk(name).sorted(), given: kind)
    }

    func checkModel(_ name: String) throws(RegistryError) {
        try RegistryName.check(name, what: "model name")
        guard isDirectory(layout.versions(name)) else { throw .unknownModel(name: name, known: names()) }
    }

    func checkVersion(_ name: String, _ version: Int) throws(RegistryError) {
        try checkModel(name)
        let known = versionsOnDisk(name)
        guard known.contains(version) else { throw .unknownVersion(name: name, version: version, known: known) }
    }

    func versionsOnDisk(_ name: String) -> [Int] {
        entries(layout.versions(name)).compactMap(RegistryLayout.versionNumber).sorted()
    }

    func readMetadata(_ name: String, _ version: Int) throws(RegistryError) -> ModelVersionMetadata {
        let path = layout.meta(name, version)
        let problem = { (reason: String) in
            RegistryError.damaged([RegistryProblem(name: name, version: version, file: "versions/\(version)/\(RegistryLayout.metaFile)", reason: reason)])
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw problem("missing or unreadable") }
        let meta: ModelVersionMetadata
        do { meta = try JSONDecoder().decode(ModelVersionMetadata.self, from: data) } catch {
            throw problem("not valid version metadata (\(error))")
        }
        guard meta.formatVersion <= ModelVersionMetadata.currentFormatVersion else {
            throw problem("format_version \(meta.formatVersion) is newer than this Forewarn reads (\(ModelVersionMetadata.currentFormatVersion))")
        }
        guard meta.name == name, meta.version == version else {
            throw problem("describes \(meta.name) v\(meta.version), not \(name) v\(version)")
        }
        return meta
    }

    /// The version an alias file names, nil when there is no such alias.
    func aliasTarget(_ name: String, _ alias: String) throws(RegistryError) -> Int? {
        guard let data = FileManager.default.contents(atPath: layout.alias(name, alias)) else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let version = RegistryLayout.versionNumber(text) else {
            throw .damaged([RegistryProblem(name: name, file: "aliases/\(alias)", reason: "does not hold a version number")])
        }
        return version
    }

    func entries(_ directory: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    }

    func isDirectory(_ path: String) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
    }

    func timestamp() -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: clock())
    }
}

/// An alias resolved to a version (load it through `Registry.verifiedModelPath`), and the
/// stamp to compare with `Registry.aliasStamp` to notice a promotion.
public struct ResolvedModel: Equatable, Sendable {
    public var name: String
    public var alias: String
    public var version: Int
    public var metadata: ModelVersionMetadata
    public var stamp: AliasStamp
}
