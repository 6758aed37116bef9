import ArgumentParser
import ModelRegistry

struct ModelsList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the registered models: versions, the latest, and what each alias points to.",
        discussion: """
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
    }

    func run() throws {
        let registry = options.open()
        let entries = try withRegistryErrors {
            try registry.names().map { name in
                let versions = try registry.versions(of: name)
                return Entry(name: name, versions: versions, latest: versions.last, aliases: try registry.aliases(of: name))
            }
        }
        if options.json { return try printEncoded(["models": entries]) }
        guard !entries.isEmpty else { return print("no models under \(registry.root)") }
        printTable(
            [["NAME", "VERSIONS", "LATEST", "ALIASES"]]
                + entries.map { e in
                    [
                        e.name, "\(e.versions.count)", e.latest.map(String.init) ?? "-",
                        e.aliases.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "),
                    ]
                })
    }
}
