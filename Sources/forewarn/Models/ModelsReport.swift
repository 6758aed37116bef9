import ArgumentParser
import Foundation
import ModelRegistry

struct ModelsReport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Print the path of a version's training report (report.html), or open it.",
        discussion: """
            `forewarn train` writes a self-contained HTML report beside each version: the
            training window and data, parameters and metrics, the score distribution with
            the threshold, and for jobs the backtest against the champion (with the
            forecast band on held-out data for forecasters).

            Examples:
              forewarn models report meters-if
              forewarn models report meters-forecast --version 3 --open
            """
    )

    @OptionGroup var options: RegistryOptions

    @Argument(help: "Model name.")
    var name: String

    @Option(help: "Version number (default: the one production points to, else the latest).")
    var version: Int?

    @Flag(help: "Open it with xdg-open.")
    var open = false

    func run() throws {
        let registry = options.open()
        let path = try withRegistryErrors { () throws -> String in
            let production = try? registry.resolve(name: name, alias: "production").version
            let v = try version ?? production ?? (registry.versions(of: name).last ?? 0)
            return try registry.versionDirectory(name: name, version: v) + "/report.html"
        }
        guard FileManager.default.fileExists(atPath: path) else {
            printError("error: \(name) has no training report at \(path) (versions registered without `forewarn train` have none)")
            throw ExitCode(1)
        }
        if options.json { return try printJSON(["name": name, "report": path]) }
        print(path)
        if open {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["xdg-open", path]
            try p.run()
        }
    }
}
