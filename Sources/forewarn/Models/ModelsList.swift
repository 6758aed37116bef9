import ArgumentParser
import ModelRegistry
import Training

struct ModelsList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the registered models: versions, the latest, and what each alias points to.",
        discussion: """
            PENDING counts sharded training runs staged but not merged yet; a
            model whose first sharded fit is still running shows with 0 versions.
            `forewarn models show NAME` says more about them.

            Examples:
              forewarn models list
              forewarn models list --registry /srv/forewarn/Models --json
            """
    )

    @OptionGroup var options: RegistryOptions

    struct Entry: Encodable {
        var name: String
        var versions: [Int]
        var latest: Int?
        var aliases: [String: Int]
        var pendingShardRuns: Int

        enum CodingKeys: String, CodingKey {
            case name, versions, latest, aliases
            case pendingShardRuns = "pending_shard_runs"
        }
    }

    func run() throws {
        let registry = options.open()
        let entries = try withRegistryErrors {
            let registered = Set(registry.names())
            return try registry.namesWithVersionsOrShardRuns().map { name in
                let versions = registered.contains(name) ? try registry.versions(of: name) : []
                let aliases = registered.contains(name) ? try registry.aliases(of: name) : [:]
                let pending = try ShardRunSummary.pending(in: registry, name: name)
                return Entry(
                    name: name, versions: versions, latest: versions.last, aliases: aliases, pendingShardRuns: pending.count)
            }
        }
        if options.json { return try printEncoded(["models": entries]) }
        guard !entries.isEmpty else { return print("no models under \(registry.root)") }
        printTable(
            [["NAME", "VERSIONS", "LATEST", "PENDING", "ALIASES"]]
                + entries.map { e in
                    [
                        e.name, "\(e.versions.count)", e.latest.map(String.init) ?? "-", "\(e.pendingShardRuns)",
                        e.aliases.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "),
                    ]
                })
    }
}
