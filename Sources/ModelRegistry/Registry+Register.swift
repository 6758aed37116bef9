import AnomalyModels
import DurableFiles
import Foundation

extension Registry {
    /// Stores a trained model as the next version of `registration.name`, and
    /// optionally points `alias` at it. The model file (and report) are copied
    /// into `versions/.tmp-*`, checked (the model must load), hashed into
    /// `meta.json`, fsynced, and renamed to `versions/<n>` in one step; then
    /// the register line is appended to history. The caller's files are not
    /// touched. Returns the new version's metadata.
    ///
    /// Throws `RegistryError.damaged` naming the problem when the model file
    /// does not load, `.invalidName` / `.invalidRegistration` for bad input,
    /// `.io` on a file-system failure; the registry is unchanged then.
    ///
    /// Unless `force`, `alias` moves only to a version of the shape its target has (`ModelShape`, as
    /// `promote` checks): otherwise the version is registered, the alias stays, and
    /// `RegistryError.registeredNotPromoted` says so.
    @discardableResult
    public func register(
        _ registration: ModelRegistration, promoteTo alias: String? = nil, reason: String? = nil, force: Bool = false
    ) throws -> ModelVersionMetadata {
        try check(registration, alias: alias)
        try durable { try Durable.createDirectory(layout.versions(registration.name)) }
        return try RegistryLock.withLock(layout.lock(registration.name)) {
            try registerLocked(registration, promoteTo: alias, reason: reason, force: force)
        }
    }

    /// `register`, for a caller that already holds the model's lock.
    func registerLocked(_ registration: ModelRegistration, promoteTo alias: String?, reason: String?, force: Bool = false)
        throws -> ModelVersionMetadata
    {
        try check(registration, alias: alias)
        let name = registration.name
        try durable { try Durable.createDirectory(layout.versions(name)) }
        try recover(name)
        // An unreadable file is refused by name when the staged copy is checked.
        if let kind = try? ModelFileKind.read(from: registration.modelFile) { try checkKind(kind, for: name) }
        var refusal: (from: Int, differences: [String])?
        if let alias, !force, let from = try aliasTarget(name, alias), let target = try? readMetadata(name, from) {
            let differences = ModelShape(target).differences(to: ModelShape(provenance: registration.provenance))
            if !differences.isEmpty { refusal = (from, differences) }
        }
        let version = nextVersion(name)
        let staging = "\(layout.versions(name))/.tmp-\(getpid())-\(version)"
        let meta: ModelVersionMetadata
        do {
            meta = try stage(registration, version: version, in: staging)
            try faultHook(.versionStaged)
            guard rename(staging, layout.version(name, version)) == 0 else {
                throw RegistryError.io(path: layout.version(name, version), reason: "cannot rename the staged version into place: \(errnoText())")
            }
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw error
        }
        try durable { try Durable.fsync(layout.versions(name)) }
        try faultHook(.versionPublished)
        try record(name, .register, to: version, reason: reason, metaSHA256: SHA256.hex(ofFile: layout.meta(name, version)))
        try faultHook(.registerRecorded)
        if let alias, let refusal {
            throw RegistryError.registeredNotPromoted(
                name: name, version: version, alias: alias, from: refusal.from, differences: refusal.differences)
        }
        if let alias { _ = try moveAlias(name, alias, to: version, action: .promote, reason: reason) }
        return meta
    }

    /// What `register` checks before it touches the registry.
    private func check(_ registration: ModelRegistration, alias: String?) throws {
        try registration.validate()
        if let alias { try RegistryName.check(alias, what: "alias") }
        for file in [registration.modelFile] + (registration.reportFile.map { [$0] } ?? [])
        where !FileManager.default.isReadableFile(atPath: file) {
            throw RegistryError.invalidRegistration("\(file) does not exist or is not readable")
        }
    }

    /// Builds the complete version in `staging`: files copied and fsynced, the
    /// model checked, meta.json written. Nothing outside `staging` changes.
    private func stage(_ r: ModelRegistration, version: Int, in staging: String) throws -> ModelVersionMetadata {
        try durable { try Durable.createDirectory(staging) }
        var copies = [(RegistryLayout.modelFile, r.modelFile)]
        if let report = r.reportFile { copies.append((RegistryLayout.reportFile, report)) }
        var files: [String: FileDigest] = [:]
        for (stored, source) in copies {
            let target = "\(staging)/\(stored)"
            do { try FileManager.default.copyItem(atPath: source, toPath: target) } catch {
                throw RegistryError.io(path: source, reason: "cannot copy into the registry: \(error.localizedDescription)")
            }
            try durable { try Durable.fsync(target) }
            files[stored] = try digest(target)
        }
        let modelCopy = "\(staging)/\(RegistryLayout.modelFile)"
        if let problem = loaders.problem(loading: modelCopy) {
            throw RegistryError.damaged([RegistryProblem(name: r.name, file: r.modelFile, reason: problem)])
        }
        let meta = ModelVersionMetadata(
            formatVersion: ModelVersionMetadata.currentFormatVersion, name: r.name, version: version,
            modelKind: try ModelFileKind.read(from: modelCopy), parameters: r.parameters,
            trainingWindow: r.trainingWindow, partitions: r.partitions, rowCount: r.rowCount, metrics: r.metrics,
            provenance: r.provenance, createdAt: timestamp(), createdBy: user, forewarnVersion: r.forewarnVersion,
            files: files)
        try durable { try Durable.write(try MetadataFile.encode(meta), to: "\(staging)/\(RegistryLayout.metaFile)") }
        try durable { try Durable.fsync(staging) }
        return meta
    }

    /// One more than any version on disk or ever recorded, so a number is never reused.
    private func nextVersion(_ name: String) -> Int {
        let recorded = (try? HistoryLog.read(layout.history(name), name: name))?.compactMap { $0.to ?? $0.from } ?? []
        return ((versionsOnDisk(name) + recorded).max() ?? 0) + 1
    }

    func digest(_ path: String) throws -> FileDigest {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value
        return FileDigest(bytes: size ?? -1, sha256: try SHA256.hex(ofFile: path))
    }

    /// Appends one history line stamped with the time and user.
    func record(
        _ name: String, _ action: HistoryEntry.Action, alias: String? = nil, from: Int? = nil, to: Int? = nil,
        reason: String?, metaSHA256: String? = nil, shardRun: String? = nil
    ) throws {
        let entry = HistoryEntry(
            time: timestamp(), user: user, action: action, alias: alias, from: from, to: to, reason: reason,
            metaSHA256: metaSHA256, shardRun: shardRun)
        try HistoryLog.append(entry, to: layout.history(name))
    }
}

/// meta.json's bytes: pretty, with sorted keys, so versions diff cleanly.
enum MetadataFile {
    static func encode(_ meta: ModelVersionMetadata) throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try e.encode(meta)
        data.append(UInt8(ascii: "\n"))
        return data
    }
}
