import CQL
import CQLTestNode
import Foundation
import Testing

/// The DataStax Python driver (Debian's python3-cassandra) against the test node: a client that
/// nobody here wrote checks that the node speaks the protocol, and the driver's schema metadata
/// checks the system tables.
@Suite struct PythonDriverTests {
    static let python = "/usr/bin/python3"

    @Test func thePythonDriverCreatesInsertsAndSelects() async throws {
        let f = try await NodeFixture.start()
        defer { Task { await f.stop() } }
        let statements = TestSchema.statements()
        try await f.createSchema()
        // Rows as the scorer's writer stores them, through a prepared unlogged batch of the client.
        let insert = try await f.client.prepare(
            "INSERT INTO forewarn.predictions (series, day, event_time, event_id, stream, model_name, model_version, score, is_anomaly, "
                + "forecast, lower, upper) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        try await f.client.batch((0..<3).map { (i: Int) -> (PreparedStatement, [CQLValue]) in
            (insert, [.text("swift"), .date(20454), .timestamp(1_767_225_600_000 + Int64(i) * 1000), .text("sw-\(i)"), .text("meters"),
                .text("meters-fc"), .int(7), .double(0.25), .boolean(false), .double(1.5), .double(1), .double(2)])
        })
        let json = try Self.run(args: [f.node.host, String(f.node.port), String(decoding: try JSONEncoder().encode(statements), as: UTF8.self)])
        let out = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any], "driver printed: \(json)")

        #expect(out["protocol_version"] as? Int == 4)
        #expect(out["cluster_name"] as? String == "Forewarn Test Cluster")
        #expect(out["partition_key"] as? [String] == ["series", "day"])
        #expect(out["clustering_key"] as? [String] == ["event_time", "event_id", "model_name"])
        let types = out["column_types"] as? [String: String] ?? [:]
        #expect(types["day"] == "date" && types["event_time"] == "timestamp" && types["is_anomaly"] == "boolean" && types["model_version"] == "int")
        #expect((out["replication"] as? String)?.contains("SimpleStrategy") == true)

        let pyRows = out["py_rows"] as? [[Any]] ?? []
        #expect(pyRows.map { $0[0] as? String } == ["py-0", "py-1", "py-2", "py-3", "py-4", "py-9"])
        #expect(pyRows.first?[1] as? Double == 0.5)
        #expect(pyRows.map { $0[2] as? Bool } == [false, false, false, true, false, true])
        #expect(out["py_range"] as? [String] == ["py-2", "py-3", "py-4"])
        let swiftRows = out["swift_rows"] as? [[Any]] ?? []
        #expect(swiftRows.map { $0[0] as? String } == ["sw-0", "sw-1", "sw-2"])
        #expect(swiftRows.first?[1] as? String == "meters-fc" && swiftRows.first?[2] as? Int == 7 && swiftRows.first?[3] as? Double == 1.5)
        #expect(swiftRows.first?[4] as? String == "2026-01-01 00:00:00")
        #expect(out["swift_count"] as? Int == 3)
        #expect(out["errors"] as? [String] == ["syntax", "invalid"])

        let back = try await f.client.select("SELECT event_id, is_anomaly FROM forewarn.predictions WHERE series = ? AND day = ?",
            [.text("py"), .date(20455)])
        #expect(back.rows.count == 6)
    }

    @Test func thePythonDriverAuthenticatesWithPlainText() async throws {
        let node = try await TestNode.start(credentials: .init(username: "forewarn", password: "s3cret"))
        defer { Task { await node.stop() } }
        let good = try Self.run(args: [node.host, String(node.port), "forewarn", "s3cret"], source: PythonDriverScript.auth)
        #expect(good.trimmingCharacters(in: .whitespacesAndNewlines) == "local")
        let bad = try Self.run(args: [node.host, String(node.port), "forewarn", "wrong"], source: PythonDriverScript.auth)
        #expect(bad.contains("AuthenticationFailed"))
    }

    static func run(args: [String], source: String = PythonDriverScript.source) throws -> String {
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("forewarn-cql-\(UUID().uuidString).py")
        try source.write(to: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: script) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script.path] + args
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let stderr = String(decoding: errData, as: UTF8.self)
        #expect(process.terminationStatus == 0, "python3 failed (is python3-cassandra installed? `make deps`): \(stderr)")
        return String(decoding: outData, as: UTF8.self)
    }
}
