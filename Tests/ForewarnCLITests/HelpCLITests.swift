import Foundation
import Testing

/// `--help` is read in a hurry: every command's help fits 80 columns as written, one `--version` per command.
@Suite struct HelpCLITests {
    /// Every command path: the root, its subcommands and theirs.
    static func commands() throws -> [[String]] {
        func subcommands(_ path: [String]) throws -> [String] {
            var inList = false, out: [String] = []
            for line in try CLIRunner.run(path + ["--help"]).stdout.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("SUBCOMMANDS:") { inList = true; continue }
                if inList, let first = line.first, first.isUppercase { inList = false }
                if inList, line.hasPrefix("  "), let c = line.dropFirst(2).first, c.isLowercase {
                    out.append(String(line.split(separator: " ")[0]))
                }
            }
            return out
        }
        var all: [[String]] = [[]]
        for c in try subcommands([]) {
            all.append([c])
            for s in try subcommands([c]) { all.append([c, s]) }
        }
        return all
    }

    /// ArgumentParser wraps a line longer than 80 columns and starts the rest at column 0: an example
    /// command cut in two, or a parameter's note pushed under the next heading. An indented line directly
    /// followed by an unindented one (no blank line, no section heading) is such a cut.
    @Test func noHelpLineIsWrappedMidway() throws {
        var cuts: [String] = []
        let commands = try Self.commands()
        #expect(commands.count > 30)
        for path in commands {
            let lines = try CLIRunner.run(path + ["--help"]).stdout.split(separator: "\n", omittingEmptySubsequences: false)
            for (prev, line) in zip(lines, lines.dropFirst()) {
                guard let first = line.first, !first.isWhitespace, prev.hasPrefix(" "), !prev.trimmingCharacters(in: .whitespaces).isEmpty
                else { continue }
                if line.range(of: #"^[A-Z][A-Z ]+:"#, options: .regularExpression) != nil { continue }
                cuts.append("forewarn \(path.joined(separator: " ")): '\(prev.trimmingCharacters(in: .whitespaces))' / '\(line)'")
            }
        }
        #expect(cuts.isEmpty, "\(cuts.count) lines cut at 80 columns:\n\(cuts.joined(separator: "\n"))")
    }

    /// A command with a `--version N` option must not also list the root's `--version` flag.
    @Test func versionMeansOneThingPerCommand() throws {
        for path in try Self.commands() {
            let help = try CLIRunner.run(path + ["--help"]).stdout
            let count = help.components(separatedBy: "\n").filter { $0.hasPrefix("  --version") }.count
            #expect(count <= 1, "forewarn \(path.joined(separator: " ")) lists --version \(count) times")
        }
        let root = try CLIRunner.run(["--version"])
        #expect(root.status == 0 && !root.stdout.isEmpty && !root.stdout.contains("USAGE"), "\(root.stdout)")
        let show = try CLIRunner.run(["models", "show", "--help"]).stdout
        #expect(show.contains("--version <version>") && !show.contains("Show the version."))
    }
}
