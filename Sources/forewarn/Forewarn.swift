import ArgumentParser

@main
struct Forewarn: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forewarn",
        abstract: "Learn what normal looks like from archived events, and be warned live when something is not.",
        discussion: """
            Typical loop:
              forewarn simulate --archive archive --stream meters --series 20 --days 14
              forewarn archive stats --archive archive --stream meters
              forewarn spec check Jobs/streams/meters.yaml
              forewarn models list

            Every command accepts --help. Commands that report accept --json for scripts.
            """,
        version: ForewarnVersion.string,
        subcommands: [
            SpecCommand.self,
            ArchiveCommand.self,
            ModelsCommand.self,
            SimulateCommand.self,
            TrainCommand.self,
            ScoreCommand.self,
            DemoCommand.self,
            ServeCommand.self,
            ConfigCommand.self,
            CassandraCommand.self,
            BenchCommand.self,
            KafkaDevCommand.self,
            VersionCommand.self,
        ]
    )
}
