import ArgumentParser
import ModelRegistry

struct ModelsVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check checksums, metadata, aliases and that every model loads.",
        discussion: """
            Each problem is printed with the model, version and file at fault. Exit status
            0 when everything is sound, 4 when anything is wrong. Safe while writers run.

            Examples:
              forewarn models verify
              forewarn models verify meters --json
            """
    )

    @OptionGroup var options: RegistryOptions

    @Argument(help: "Model name (default: every model).")
    var name: String?

    struct Output: Encodable {
        var clean: Bool
        var checked: [String: [Int]]
        var problems: [RegistryProblem]
    }

    func run() throws {
        let registry = options.open()
        let report = try withRegistryErrors { try registry.verify(name: name) }
        let versions = report.checked.values.reduce(0) { $0 + $1.count }
        if options.json {
            try printEncoded(Output(clean: report.isClean, checked: report.checked, problems: report.problems))
        } else {
            for problem in report.problems { print("FAIL  \(problem)") }
            let models = report.checked.count == 1 ? "1 model" : "\(report.checked.count) models"
            print("\(versions) versions of \(models) checked: "
                + (report.isClean ? "all sound" : "\(report.problems.count) problems"))
        }
        if !report.isClean { throw ExitCode(4) }
    }
}
