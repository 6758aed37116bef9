import ArgumentParser
import Foundation
import ModelRegistry

struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List, inspect, promote, roll back, verify and prune registered model versions.",
        discussion: """
            Every trained model is an immutable, numbered version under the registry root:
            <registry>/<name>/versions/<n>/{model.h5, meta.json, report.html}, with
            aliases in <registry>/<name>/aliases/ and an append-only
            <registry>/<name>/history.jsonl. The scorer follows the 'production' alias.
            docs/registry.md has the details.

            The registry is ./Models unless --registry or $FOREWARN_REGISTRY says
            otherwise.

            Typical loop:
              forewarn models list
              forewarn models diff meters 3 4
              forewarn models promote meters 4 --reason "better AUC on last week"
              forewarn models rollback meters
            """,
        subcommands: [
            ModelsList.self, ModelsShow.self, ModelsPromote.self, ModelsRollback.self, ModelsDiff.self,
            ModelsVerify.self, ModelsPrune.self, ModelsHistory.self, ModelsReport.self,
        ]
    )
}

/// The options every models command shares.
struct RegistryOptions: ParsableArguments {
    @OptionGroup var location: RegistryLocation

    @Flag(help: "Print one JSON object instead of text (keys documented in docs/registry.md).")
    var json = false

    func open() -> Registry {
        location.open()
    }
}

/// Where the registry is: `--registry`, else $FOREWARN_REGISTRY, else ./Models.
struct RegistryLocation: ParsableArguments {
    @Option(help: ArgumentHelp("Registry root directory (default: $FOREWARN_REGISTRY, else Models).", valueName: "dir"))
    var registry: String?

    var root: String { registryRoot(registry) }
    func open() -> Registry { Registry(root: root) }
}

/// Runs a registry operation, turning a `RegistryError` into its message on
/// standard error and the exit status docs/architecture.md assigns to it.
func withRegistryErrors<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as RegistryError {
        printError("error: \(error)")
        throw ExitCode(error.exitStatus)
    }
}

extension RegistryError {
    var exitStatus: Int32 {
        switch self {
        case .invalidName, .unknownModel, .unknownVersion, .unknownAlias, .invalidArgument: 64
        case .damaged: 4
        case .registeredNotPromoted: JobReport.refusedStatus
        case .invalidRegistration, .kindChange, .shapeChange, .noRollbackTarget, .io: 1
        }
    }
}

/// Prints a value as one line of JSON with sorted keys.
func printEncoded<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// Prints rows as left-aligned columns, two spaces apart.
func printTable(_ rows: [[String]]) {
    let columns = rows.map(\.count).max() ?? 0
    let widths = (0..<columns).map { c in rows.map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
    for row in rows {
        let cells = row.enumerated().map { c, cell in
            c == row.count - 1 ? cell : cell.padding(toLength: widths[c], withPad: " ", startingAt: 0)
        }
        print(String(cells.joined(separator: "  ").reversed().drop(while: { $0 == " " }).reversed()))
    }
}
