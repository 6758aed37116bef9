import ArgumentParser

struct CassandraCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cassandra",
        abstract: "Set up the Cassandra tables predictions go to, or run the in-memory CQL test node.",
        discussion: """
            The tables and example queries are in docs/cassandra.md.

              forewarn cassandra node --port 9042 &
              forewarn cassandra init --config cassandra.yaml
            """,
        subcommands: [CassandraInit.self, CassandraNode.self]
    )
}
