import DurableFiles
import Foundation

/// What one running scorer serves for one model: the version it scores with, and the version the alias
/// named when it last looked. They differ when the scorer refused the alias's version (it could not load
/// it, or it reads fields the stream lacks) and kept the old one; `models show` says so.
///
/// Each scorer keeps its own file, `<root>/<name>/.serving/<instance>.json`, rewritten atomically when
/// what it serves changes and at least every `ServingRecord.heartbeat`; a record older than
/// `ServingRecord.staleAfter` is from a scorer that stopped without removing it (kill -9).
public struct ServingRecord: Codable, Equatable, Sendable {
    public static let heartbeat: Duration = .seconds(60)
    public static let staleAfter: TimeInterval = 180

    /// host-pid of the scorer.
    public var instance: String
    public var alias: String
    /// The version the scorer scores with.
    public var version: Int
    /// The version the alias named at `updatedAt`; nil when it could not be read.
    public var aliasVersion: Int?
    /// Seconds since the Unix epoch.
    public var updatedAt: Double

    enum CodingKeys: String, CodingKey {
        case instance, alias, version, aliasVersion = "alias_version", updatedAt = "updated_at"
    }

    public init(instance: String, alias: String, version: Int, aliasVersion: Int?, updatedAt: Double = Date().timeIntervalSince1970) {
        self.instance = instance
        self.alias = alias
        self.version = version
        self.aliasVersion = aliasVersion
        self.updatedAt = updatedAt
    }

    /// Whether the scorer serves another version than its alias names.
    public var differs: Bool { aliasVersion.map { $0 != version } ?? false }

    public func isStale(now: Double = Date().timeIntervalSince1970) -> Bool { now - updatedAt > Self.staleAfter }

    /// This process's instance name.
    public static var thisInstance: String {
        "\(ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "host")-\(getpid())"
    }
}

extension Registry {
    static let servingDirectory = ".serving"

    private func servingFile(_ name: String, _ instance: String) -> String {
        "\(layout.model(name))/\(Self.servingDirectory)/\(instance).json"
    }

    /// Writes (replaces) the scorer's record for `name`. Throws `RegistryError.invalidName` for a bad instance
    /// name, `.io` when the registry cannot be written (a scorer logs it and goes on serving).
    public func recordServing(name: String, _ record: ServingRecord) throws {
        try RegistryName.check(name, what: "model name")
        try RegistryName.check(record.instance, what: "scorer instance")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let file = servingFile(name, record.instance)
        do {
            try Durable.createDirectory(Durable.directory(of: file))
            try Durable.write(try encoder.encode(record), to: file)
        } catch let error as RegistryError {
            throw error
        } catch {
            throw RegistryError.io(path: file, reason: "\(error)")
        }
    }

    /// Removes the scorer's record for `name` (a clean stop); no record is no error.
    public func removeServing(name: String, instance: String) {
        try? FileManager.default.removeItem(atPath: servingFile(name, instance))
    }

    /// Every scorer's record for `name`, by instance; unreadable files are skipped.
    public func serving(of name: String) -> [ServingRecord] {
        let dir = "\(layout.model(name))/\(Self.servingDirectory)"
        return entries(dir).filter { $0.hasSuffix(".json") }.compactMap { file in
            guard let data = FileManager.default.contents(atPath: "\(dir)/\(file)") else { return nil }
            return try? JSONDecoder().decode(ServingRecord.self, from: data)
        }.sorted { $0.instance < $1.instance }
    }
}
