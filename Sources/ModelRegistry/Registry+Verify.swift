import Foundation

/// The outcome of `Registry.verify`: what was checked and every problem found.
public struct VerificationReport: Codable, Equatable, Sendable {
    /// `name` → versions checked.
    public var checked: [String: [Int]]
    public var problems: [RegistryProblem]
    public var isClean: Bool { problems.isEmpty }
}

extension Registry {
    /// Checks one model, or every model: each version's meta.json, the size and
    /// SHA-256 of each of its files, that its model loads, that meta.json is the
    /// one history recorded; that every alias names an existing version; and
    /// that history parses. Takes no lock; reports a problem rather than throwing.
    public func verify(name: String? = nil) throws(RegistryError) -> VerificationReport {
        let models: [String]
        if let name {
            try checkModel(name)
            models = [name]
        } else {
            models = names()
        }
        var report = VerificationReport(checked: [:], problems: [])
        for model in models {
            let versions = versionsOnDisk(model)
            report.checked[model] = versions
            var history: [HistoryEntry] = []
            do { history = try HistoryLog.read(layout.history(model), name: model) } catch {
                report.problems += Self.problems(of: error, name: model)
            }
            for version in versions {
                let found = versionProblems(model, version)
                report.problems += found
                if found.isEmpty, let problem = historyMismatch(model, version, history) { report.problems.append(problem) }
            }
            report.problems += aliasProblems(model, versions)
        }
        return report
    }

    /// The model file of a version, once its meta.json and every file it lists match their recorded
    /// sizes and SHA-256: what every path that loads a registered model goes through, so a damaged
    /// file is refused (`.damaged`, the culprit named) before any decoder reads a byte of it.
    public func verifiedModelPath(name: String, version: Int) throws(RegistryError) -> String {
        try checkVersion(name, version)
        let problems = integrityProblems(name, version)
        guard problems.isEmpty else { throw .damaged(problems) }
        return layout.modelFile(name, version)
    }

    /// Everything wrong with one version, the first failing check per file; the model is loaded
    /// only when every file is intact.
    func versionProblems(_ name: String, _ version: Int) -> [RegistryProblem] {
        let problems = integrityProblems(name, version)
        guard problems.isEmpty else { return problems }
        let kind = (try? readMetadata(name, version))?.modelKind
        if let reason = loaders.problem(loading: layout.modelFile(name, version), expectedKind: kind) {
            return [RegistryProblem(name: name, version: version, file: "versions/\(version)/\(RegistryLayout.modelFile)", reason: "does not load: \(reason)")]
        }
        return []
    }

    /// What is wrong with a version's files without loading its model: meta.json, each listed
    /// file's presence, size and SHA-256, and files meta.json does not list.
    func integrityProblems(_ name: String, _ version: Int) -> [RegistryProblem] {
        let meta: ModelVersionMetadata
        do { meta = try readMetadata(name, version) } catch { return Self.problems(of: error, name: name) }
        let directory = layout.version(name, version)
        let here = { (file: String, reason: String) in
            RegistryProblem(name: name, version: version, file: "versions/\(version)/\(file)", reason: reason)
        }
        var problems: [RegistryProblem] = []
        if meta.files[RegistryLayout.modelFile] == nil { problems.append(here(RegistryLayout.metaFile, "lists no model.h5")) }
        for (file, expected) in meta.files.sorted(by: { $0.key < $1.key }) {
            guard FileManager.default.fileExists(atPath: "\(directory)/\(file)") else {
                problems.append(here(file, "missing"))
                continue
            }
            do {
                let found = try digest("\(directory)/\(file)")
                if found.bytes != expected.bytes {
                    problems.append(here(file, "size is \(found.bytes) bytes, meta.json recorded \(expected.bytes) (truncated or replaced)"))
                } else if found.sha256 != expected.sha256 {
                    problems.append(here(file, "sha256 is \(found.sha256), meta.json recorded \(expected.sha256) (modified)"))
                }
            } catch { problems.append(here(file, "\(error)")) }
        }
        for file in entries(directory) where file != RegistryLayout.metaFile && meta.files[file] == nil {
            problems.append(here(file, "not listed in meta.json"))
        }
        return problems
    }

    /// A meta.json that differs from the one history recorded when the version was registered.
    private func historyMismatch(_ name: String, _ version: Int, _ history: [HistoryEntry]) -> RegistryProblem? {
        guard let recorded = history.last(where: { $0.action == .register && $0.to == version })?.metaSHA256,
            let actual = try? SHA256.hex(ofFile: layout.meta(name, version)), actual != recorded
        else { return nil }
        return RegistryProblem(
            name: name, version: version, file: "versions/\(version)/\(RegistryLayout.metaFile)",
            reason: "sha256 is \(actual), history recorded \(recorded) at registration (modified)")
    }

    private func aliasProblems(_ name: String, _ versions: [Int]) -> [RegistryProblem] {
        var problems: [RegistryProblem] = []
        for alias in entries(layout.aliases(name)).sorted() where RegistryName.isValid(alias) {
            do {
                if let target = try aliasTarget(name, alias), !versions.contains(target) {
                    problems.append(RegistryProblem(name: name, file: "aliases/\(alias)", reason: "points to version \(target), which does not exist"))
                }
            } catch { problems += Self.problems(of: error, name: name) }
        }
        return problems
    }

    static func problems(of error: RegistryError, name: String) -> [RegistryProblem] {
        if case .damaged(let problems) = error { return problems }
        return [RegistryProblem(name: name, reason: error.description)]
    }
}
