import ArgumentParser
import Training

@main
struct Forewarn: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forewarn",
        abstract: "Learn what normal looks like from archived events, and be warned live when something is not.",
        discussion: """
            Typical loop:
              forewarn simulate --archive archive --stream meters --series 20 --days 14
              forewarn train --archive archive --stream meters --name meters-if --promote
              forewarn serve --config Jobs/serve.yaml
              forewarn models promote meters-if 2 --reason "retrained"
              forewarn models rollback meters-if

            The whole loop on embedded defaults, in under a minute: forewarn demo
            Every command accepts --help. Commands that report accept --json for scripts.
            forewarn --version prints the version; forewarn version adds the native
            libraries'.
            """,
        subcommands: [
            SpecCommand.self,
            ArchiveCommand.self,
            ModelsCommand.self,
            SimulateCommand.self,
            TrainCommand.self,
            ScoreCommand.self,
            ForecastCommand.self,
            DemoCommand.self,
            ServeCommand.self,
            ConfigCommand.self,
            CassandraCommand.self,
            BenchCommand.self,
            KafkaDevCommand.self,
            VersionCommand.self,
        ]
    )

    // `forewarn --version`, read before the parser: ArgumentParser's own version flag (the configuration's
    // `version:`) would be listed in every subcommand's help beside their `--version N` options, and a root
    // flag is parsed in subcommands too, where it takes `score --version 2`'s `--version` for itself.
    static func main() async {
        if Array(CommandLine.arguments.dropFirst()) == ["--version"] {
            print(ForewarnVersion.string)
            return
        }
        await main(nil)
    }
}
