import ArgumentParser
import ModelRegistry

struct ModelsRollback: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Point an alias back at the version it pointed to before.",
        discussion: """
            Without --to, the alias returns to its previous target as recorded in history;
            rolling back again goes one further step back. The target is checked like a
            promotion, and a pruned target is an error naming it.

            Examples:
              forewarn models rollback meters
              forewarn models rollback meters --to 2 --reason "v4 flags every deploy"
              forewarn models rollback meters --alias candidate --json
            """
    )

    @OptionGroup var options: RegistryOptions

    @Argument(help: "Model name.")
    var name: String

    @OptionGroup var move: AliasMove

    @Option(help: "Version to roll back to (default: the alias's previous target).")
    var to: Int?

    func run() throws {
        let registry = options.open()
        let change = try withRegistryErrors {
            try registry.rollback(name: name, alias: move.alias, to: to, reason: move.reason)
        }
        try printAliasChange(change, json: options.json)
    }
}
