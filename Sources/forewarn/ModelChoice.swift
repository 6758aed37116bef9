import ArgumentParser
import ModelRegistry

/// Which model a command uses: a file (`--model`), or a registered version (`--name` with `--version`, or the
/// version `--alias` points to), whose files are checked against their recorded checksums before anything reads them.
struct ModelChoice: ParsableArguments {
    @Option(help: "A model file written by `forewarn train --output`.")
    var model: String?

    @Option(help: "A registered model's name (instead of --model).")
    var name: String?

    @Option(help: "The registered version to use (default: the one --alias points to).")
    var version: Int?

    @Option(help: "The alias to follow when no --version is given.")
    var alias = "production"

    @OptionGroup var registry: RegistryLocation

    func validate() throws {
        if (model == nil) == (name == nil) { throw ValidationError("give either --model FILE or --name MODEL") }
    }

    /// The model file, and the registered version's provenance (empty for a file); a damaged or unknown version
    /// is a `RegistryError`'s message and exit status.
    func resolve() throws -> (path: String, provenance: [String: String]) {
        if let model { return (model, [:]) }
        let registry = self.registry.open()
        return try withRegistryErrors { try registry.verifiedModel(name: name ?? "", version: version, alias: alias) }
    }
}
