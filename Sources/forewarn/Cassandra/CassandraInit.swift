import ArgumentParser
import CQL
import Foundation
import Scoring

struct CassandraInit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create the keyspace and the predictions tables; safe to run again.",
        discussion: """
            The config is YAML (the same keys as the `cassandra:` section of a serve
            config):

              contact_points: [127.0.0.1, "10.0.0.2:9043"]
              port: 9042                     # for contact points without one
              keyspace: forewarn
              replication: {class: SimpleStrategy, factor: 3}
              # or: {class: NetworkTopologyStrategy, data_centers: {dc1: 3, dc2: 2}}
              username: forewarn             # optional (PasswordAuthenticator)
              password: secret
              tls: {ca_file: ca.pem}         # optional; verify: false to skip verification

              forewarn cassandra init --config cassandra.yaml
              forewarn cassandra init --config cassandra.yaml --json

            Exit status: 0 done, 1 invalid config, 5 Cassandra unreachable or refusing.
            """
    )

    @Option(help: ArgumentHelp("Cassandra config file (YAML).", valueName: "file"))
    var config: String

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    func run() async throws {
        let cassandra: CassandraConfig
        do { cassandra = try CassandraConfig.load(path: config) } catch {
            printError("error: \(error)")
            throw ExitCode(1)
        }
        do {
            let created = try await Self.initialize(cassandra)
            if json {
                try printJSON(["keyspace": cassandra.keyspaceName, "statements": created.count, "created": created.filter { $0 }.count])
            } else {
                print("keyspace \(cassandra.keyspaceName): \(created.filter { $0 }.count) of \(created.count) objects created, the rest existed")
            }
        } catch {
            printError("error: \(error)")
            throw ExitCode(5)
        }
    }

    /// Runs the schema statements; one Bool per statement, true when it created something.
    static func initialize(_ config: CassandraConfig) async throws -> [Bool] {
        let client = try await CQLClient.connect(hosts: try config.hosts(), options: config.clientOptions())
        do {
            var created: [Bool] = []
            for statement in PredictionSchema.statements(keyspace: config.keyspaceName, replication: try config.replicationMap()) {
                if case .schemaChange = try await client.query(statement) { created.append(true) } else { created.append(false) }
            }
            await client.close()
            return created
        } catch {
            await client.close()
            throw error
        }
    }
}
