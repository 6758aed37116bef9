import ArgumentParser
import ModelRegistry

struct ModelsPrune: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Delete old versions, keeping the newest N and every version an alias points to.",
        discussion: """
            Each removed version is recorded in history. Version numbers are never reused.

            Examples:
              forewarn models prune meters --keep 5
              forewarn models prune meters --keep 1 --reason "disk full" --json
            """
    )

    @OptionGroup var options: RegistryOptions

    @Argument(help: "Model name.")
    var name: String

    @Option(help: "How many of the newest versions to keep (at least 1).")
    var keep: Int

    @Option(help: "Why, recorded in history.")
    var reason: String?

    func run() throws {
        let registry = options.open()
        let (removed, kept) = try withRegistryErrors {
            let removed = try registry.prune(name: name, keep: keep, reason: reason)
            return (removed, try registry.versions(of: name))
        }
        if options.json { return try printEncoded(PruneOutput(name: name, removed: removed, kept: kept)) }
        let list = { (v: [Int]) in v.isEmpty ? "none" : v.map { "v\($0)" }.joined(separator: " ") }
        print("\(name): removed \(list(removed)); kept \(list(kept))")
    }
}

struct PruneOutput: Encodable {
    var name: String
    var removed: [Int]
    var kept: [Int]
}
