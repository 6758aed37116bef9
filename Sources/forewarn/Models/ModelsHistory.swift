import ArgumentParser
import ModelRegistry

struct ModelsHistory: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show every register, promote, rollback and prune of a model, oldest first.",
        discussion: """
            Examples:
              forewarn models history meters
              forewarn models history meters --json
            """
    )

    @OptionGroup var options: RegistryOptions

    @Argument(help: "Model name.")
    var name: String

    struct Output: Encodable {
        var name: String
        var entries: [HistoryEntry]
    }

    func run() throws {
        let registry = options.open()
        let entries = try withRegistryErrors { try registry.history(of: name) }
        if options.json { return try printEncoded(Output(name: name, entries: entries)) }
        let version = { (v: Int?) in v.map { "v\($0)" } ?? "-" }
        printTable(
            [["TIME", "USER", "ACTION", "ALIAS", "CHANGE", "REASON"]]
                + entries.map { e in
                    let change =
                        switch e.action {
                        case .register: "+\(version(e.to))"
                        case .prune: e.shardRun.map { "-shard run \($0)" } ?? "-\(version(e.from))"
                        case .promote, .rollback: "\(version(e.from)) -> \(version(e.to))"
                        }
                    return [e.time, e.user, e.action.rawValue, e.alias ?? "-", change, e.reason ?? ""]
                })
    }
}
