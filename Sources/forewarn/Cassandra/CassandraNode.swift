import ArgumentParser
import CQLTestNode
import Foundation

struct CassandraNode: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node",
        abstract: "Run the in-memory CQL v4 test node on loopback until interrupted.",
        discussion: """
            Prints its address (host:port) on the first line, then serves until Ctrl-C or SIGTERM.
            Data lives in memory only. Drivers connect with protocol v4 (the DataStax
            Python driver does). Not a database: for tests, benchmarks and demos.

              forewarn cassandra node --port 9042
              forewarn cassandra node --port 0 --username forewarn --password secret
              forewarn cassandra node --tls-cert node.pem --tls-key node.key
            """
    )

    @Option(help: "Port on 127.0.0.1 (0 picks a free one).")
    var port: Int = 9042

    @Option(help: "Require PasswordAuthenticator with this username (needs --password).")
    var username: String?

    @Option(help: "The password for --username.")
    var password: String?

    @Option(help: ArgumentHelp("Serve TLS with this PEM certificate chain (needs --tls-key).", valueName: "file"))
    var tlsCert: String?

    @Option(help: ArgumentHelp("The PEM private key for --tls-cert.", valueName: "file"))
    var tlsKey: String?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be in 0...65535") }
        guard (username == nil) == (password == nil) else { throw ValidationError("--username and --password go together") }
        guard (tlsCert == nil) == (tlsKey == nil) else { throw ValidationError("--tls-cert and --tls-key go together") }
    }

    func run() async throws {
        let stop = await ShutdownSignal.trap()
        let credentials = username.flatMap { u in password.map { TestNode.Credentials(username: u, password: $0) } }
        let node: TestNode
        let tls = tlsCert.flatMap { cert in tlsKey.map { TestNode.TLSFiles(certificateFile: cert, keyFile: $0) } }
        do { node = try await TestNode.start(port: port, credentials: credentials, tls: tls) } catch {
            printError("error: cannot listen on 127.0.0.1:\(port): \(error)")
            throw ExitCode(5)
        }
        FileHandle.standardOutput.write(Data((node.address + "\n").utf8))
        let signal = await stop.wait()
        printError("\(signal.map { "\($0)" } ?? "cancelled"): stopping the node")
        await node.stop()
    }
}
