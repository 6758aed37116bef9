import ArgumentParser
import ModelRegistry

struct ModelsPromote: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promote",
        abstract: "Point an alias (production by default) at a version.",
        discussion: """
            The version's checksums and loadability are checked first: a damaged version
            is refused (exit status 4) and the alias keeps its target. So is a version
            trained on another stream or other fields than the one the alias points at
            (exit status 1): a scorer would refuse it and keep serving the old version.
            --force promotes it anyway, for when the scorers' inputs change with it. The
            change is recorded in history with your user name and the reason; a running
            scorer picks it up.

            Examples:
              forewarn models promote meters 4 --reason "AUC 0.93 vs 0.91 on last week"
              forewarn models promote meters 5 --alias candidate
              forewarn models promote meters 6 --force \\
                  --reason "voltage added to the stream"
            """
    )

    @OptionGroup var options: RegistryOptions

    @Argument(help: "Model name.")
    var name: String

    @Argument(help: "Version to promote.")
    var version: Int

    @OptionGroup var move: AliasMove

    @Flag(help: "Promote even when the version reads another stream or other fields than the alias's current one.")
    var force = false

    func run() throws {
        let registry = options.open()
        let change = try withRegistryErrors {
            try registry.promote(name: name, version: version, alias: move.alias, reason: move.reason, force: force)
        }
        try printAliasChange(change, json: options.json)
    }
}

/// The options of the commands that move an alias.
struct AliasMove: ParsableArguments {
    @Option(help: "Alias to move.")
    var alias = "production"

    @Option(help: "Why, recorded in history.")
    var reason: String?
}

func printAliasChange(_ change: AliasChange, json: Bool) throws {
    if json { return try printEncoded(change) }
    let from = change.from.map { "v\($0)" } ?? "(new)"
    print(change.changed
        ? "\(change.name) \(change.alias): \(from) -> v\(change.to)"
        : "\(change.name) \(change.alias): already v\(change.to), nothing changed")
}
