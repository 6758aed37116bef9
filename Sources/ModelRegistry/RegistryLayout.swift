/// Where each piece of a model's registry lives under the root:
/// `<root>/<name>/versions/<n>/`, `<root>/<name>/aliases/<alias>`,
/// `<root>/<name>/history.jsonl`, the writers' lock `<root>/<name>/.lock`
/// and sharded training runs' staging `<root>/<name>/.shards/<run>/`.
struct RegistryLayout: Sendable {
    static let modelFile = "model.h5"
    static let reportFile = "report.html"
    static let metaFile = "meta.json"

    let root: String

    func model(_ name: String) -> String { "\(root)/\(name)" }
    func versions(_ name: String) -> String { "\(model(name))/versions" }
    func version(_ name: String, _ version: Int) -> String { "\(versions(name))/\(version)" }
    func meta(_ name: String, _ version: Int) -> String { "\(self.version(name, version))/\(Self.metaFile)" }
    func modelFile(_ name: String, _ version: Int) -> String { "\(self.version(name, version))/\(Self.modelFile)" }
    func aliases(_ name: String) -> String { "\(model(name))/aliases" }
    func alias(_ name: String, _ alias: String) -> String { "\(aliases(name))/\(alias)" }
    func history(_ name: String) -> String { "\(model(name))/history.jsonl" }
    func lock(_ name: String) -> String { "\(model(name))/.lock" }
    func shards(_ name: String) -> String { "\(model(name))/\(Registry.shardsDirectory)" }
    func shardRun(_ name: String, _ run: String) -> String { "\(shards(name))/\(run)" }

    /// A version's directory name: decimal, no sign, no leading zero.
    static func versionNumber(_ entry: String) -> Int? {
        guard let first = entry.first, first != "0", entry.allSatisfy(\.isASCII), let n = Int(entry), n > 0 else {
            return nil
        }
        return n
    }
}
