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

            The report shows what was flagged and why without reading JSON: the series
            with the most flags against its forecast and band, flagged points in red, the
            score distribution, the top anomalies with their explanations (field, actual,
            expected, deviation, drivers), the bands ahead for forecasters and, for the
            forest, what drove its flags. `train` scores the training window's last day
            for it (in-sample); a job scores its held-out slice. No external requests:
            it opens offline.

            Examples:
              forewarn models report meters-if
              forewarn models report meters-forecast 3 --open
            """
    )

    @OptionGroup var options: RegistryOptions

    @Argument(help: "Model name.")
    var name: String

    @Argument(help: "Version number (default: the one production points to, else the latest).")
    var number: Int?

    @Option(help: ArgumentHelp("The same as VERSION.", visibility: .hidden))
    var version: Int?

    @Flag(help: "Open it with xdg-open.")
    var open = false

    func run() throws {
        let registry = options.open()
        let path = try withRegistryErrors { () throws -> String in
            let production = try? registry.resolve(name: name, alias: "production").version
            let v = try number ?? version ?? production ?? (registry.versions(of: name).last ?? 0)
            return try registry.versionDirectory(name: name, version: v) + "/report.html"
        }
        guard FileManager.default.fileExists(atPath: path) else {
            printError("error: \(name) has no training report at \(path) (versions registered without `forewarn train` have none)")
            throw ExitCode(1)
        }
        if options.json { return try printJSON(["name": name, "report": path]) }
        print(path)
        if open {
            let searchPath = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
            guard let opener = searchPath.split(separator: ":").map({ "\($0)/xdg-open" })
                .first(where: { FileManager.default.isExecutableFile(atPath: $0) })
            else {
                printError("note: no browser opener (xdg-open) on this machine: open \(path) where a browser runs")
                return
            }
            let p = Process()
            p.executableURL = URL(fileURLWithPath: opener)
            p.arguments = [path]
            try p.run()
        }
    }
}
