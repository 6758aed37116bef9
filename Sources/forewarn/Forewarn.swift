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

    // The root's own flag, not the configuration's `version:`, which ArgumentParser would add to every
    // subcommand beside their `--version N` options.
    @Flag(help: "Show the version.")
    var version = false

    func run() async throws {
        guard version else { throw CleanExit.helpRequest(self) }
        print(ForewarnVersion.string)
    }
}
