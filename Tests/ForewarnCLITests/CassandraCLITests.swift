import CQL
import CQLTestNode
import Foundation
import Testing

@Suite struct CassandraCLITests {
    @Test func initCreatesTheTablesOnceAndIsIdempotent() async throws {
        let node = try await TestNode.start()
        let dir = try TempDir()
        defer { dir.cleanup(); Task { await node.stop() } }
        let config = try dir.write("c.yaml", """
            contact_points: ["\(node.address)"]
            keyspace: fw
            replication: {class: SimpleStrategy, factor: 1}
            """)
        let first = try CLIRunner.run(["cassandra", "init", "--config", config])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("3 of 3 objects created"))
        let second = try CLIRunner.run(["cassandra", "init", "--config", config, "--json"])
        #expect(second.status == 0)
        let json = jsonObject(second.stdout)
        #expect(json["created"] as? Int == 0 && json["statements"] as? Int == 3 && json["keyspace"] as? String == "fw")
        #expect(node.rowCount(keyspace: "fw", table: "predictions") == 0)
        #expect(node.rowCount(keyspace: "fw", table: "anomalies_by_day") == 0)
    }

    @Test func aBadConfigIsStatusOneAndNamesTheProblem() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let config = try dir.write("c.yaml", "contact_points: [127.0.0.1]\nreplication: {class: Nope}\n")
        let r = try CLIRunner.run(["cassandra", "init", "--config", config])
        #expect(r.status == 1)
        #expect(r.stderr.contains("c.yaml") && r.stderr.contains("Nope"))
        let missing = try CLIRunner.run(["cassandra", "init", "--config", dir.path("absent.yaml")])
        #expect(missing.status == 1 && missing.stderr.contains("absent.yaml: no such file"), "\(missing.stderr)")
    }

    @Test func anUnreachableClusterIsStatusFive() async throws {
        let node = try await TestNode.start()
        let port = node.port
        await node.stop()
        let dir = try TempDir()
        defer { dir.cleanup() }
        let config = try dir.write("c.yaml", "contact_points: [\"127.0.0.1:\(port)\"]\n")
        let r = try CLIRunner.run(["cassandra", "init", "--config", config])
        #expect(r.status == 5)
        #expect(r.stderr.contains("127.0.0.1:\(port)"))
    }

    /// `serve` whose Cassandra is gone at start: status 5 (a supervisor retries), as for `cassandra init`, not 1.
    @Test func serveWithCassandraUnreachableAtStartIsStatusFive() async throws {
        let node = try await TestNode.start()
        let port = node.port
        await node.stop()
        let dir = try TempDir()
        defer { dir.cleanup() }
        let config = try MinimalServeConfig.write(in: dir, extra: "cassandra: {contact_points: [\"127.0.0.1:\(port)\"]}")
        let r = try CLIRunner.run(["serve", "--config", config], timeout: .seconds(60))
        #expect(r.status == 5, "\(r.stderr)")
        #expect(r.stderr.contains("Cassandra unavailable at start") && r.stderr.contains("127.0.0.1:\(port)"), "\(r.stderr)")
        #expect(r.stderr.contains("connection refused"), "says why in words: \(r.stderr)")
        for leak in ["SingleConnectionFailure", "NIOConnectionError", "errno", "[IPv4]"] {
            #expect(!r.stderr.contains(leak), "no SwiftNIO internals: \(r.stderr)")
        }
    }

    @Test func nodePrintsItsAddressFirstAndServes() async throws {
        let process = Process()
        process.executableURL = CLIRunner.executable
        process.arguments = ["cassandra", "node", "--port", "0"]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        defer { process.terminate(); process.waitUntilExit() }
        var line = Data()
        while let byte = try out.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) { line += byte }
        let address = String(decoding: line, as: UTF8.self)
        let parts = address.split(separator: ":")
        #expect(parts.count == 2 && parts[0] == "127.0.0.1")
        let port = try #require(Int(parts.last ?? ""))
        let client = try await CQLClient.connect(hosts: [.init(host: "127.0.0.1", port: port)])
        let rows = try await client.select("SELECT cluster_name FROM system.local WHERE key = 'local'")
        #expect(rows.rows == [[.text("Forewarn Test Cluster")]])
        await client.close()
    }

    @Test func nodeStopsCleanlyOnSIGTERM() throws {
        let node = try BackgroundProcess(["cassandra", "node", "--port", "0"])
        let address = try #require(node.readLine())
        #expect(address.hasPrefix("127.0.0.1:"))
        let (status, stderr) = node.terminate(within: 20)
        #expect(status == 0, "exits on SIGTERM, with status 0: \(stderr)")
        #expect(stderr.contains("SIGTERM: stopping the node"), "\(stderr)")
    }

    @Test func benchReportsARate() throws {
        let r = try CLIRunner.run(["bench", "cassandra", "--rows", "2000", "--series", "10", "--chunk", "500", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = jsonObject(r.stdout)
        #expect(json["rows"] as? Int == 2000)
        #expect((json["rows_per_second"] as? Double ?? 0) > 0)
    }

    @Test func helpHasExamples() throws {
        for command in [["cassandra", "init"], ["cassandra", "node"], ["bench", "cassandra"]] {
            let r = try CLIRunner.run(command + ["--help"])
            #expect(r.status == 0)
            #expect(r.stdout.contains("forewarn " + command.joined(separator: " ")))
        }
    }
}
