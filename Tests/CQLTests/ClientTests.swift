import CQL
import CQLTestNode
import Foundation
import Testing

@Suite struct ClientTests {
    @Test func preparedInsertAndSelectWithAClusteringRange() async throws {
        let f = try await NodeFixture.start()
        defer { Task { await f.stop() } }
        try await f.client.query("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}")
        try await f.client.query("CREATE TABLE ks.t (k text, d date, ts timestamp, id text, v double, tags list<text>, PRIMARY KEY ((k, d), ts, id))")
        let insert = try await f.client.prepare("INSERT INTO ks.t (k, d, ts, id, v, tags) VALUES (?, ?, ?, ?, ?, ?)")
        #expect(insert.bindColumns.map(\.type) == [.text, .date, .timestamp, .text, .double, .list(.text)])
        #expect(insert.pkIndices == [0, 1])
        for i in 0..<10 {
            try await f.client.execute(insert, [.text("a"), .date(1), .timestamp(Int64(10 - i)), .text("e\(i)"), .double(Double(i)), .list([.text("x")])])
        }
        let rows = try await f.client.select("SELECT id, ts FROM ks.t WHERE k = ? AND d = ? AND ts >= ? AND ts < ?",
            [.text("a"), .date(1), .timestamp(3), .timestamp(6)])
        #expect(rows.rows.map { $0[1] } == [.timestamp(3), .timestamp(4), .timestamp(5)])
        #expect(rows.rows.map { $0[0] } == [.text("e7"), .text("e6"), .text("e5")])
    }

    @Test func manyRequestsInFlightOnOneConnection() async throws {
        var options = NodeFixture.fastRetries
        options.connectionsPerHost = 1
        let f = try await NodeFixture.start(options: options)
        defer { Task { await f.stop() } }
        try await f.createSchema()
        let client = f.client
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<500 {
                group.addTask {
                    try await client.query("INSERT INTO forewarn.predictions (series, day, event_time, event_id, model_name) VALUES (?, ?, ?, ?, 'm')",
                        [.text("s\(i % 7)"), .date(0), .timestamp(Int64(i)), .text("e\(i)")])
                }
            }
            try await group.waitForAll()
        }
        #expect(f.node.rowCount(keyspace: "forewarn", table: "predictions") == 500)
        #expect(f.node.openConnections == 1)
    }

    @Test func batchesAreGroupedByPartition() async throws {
        let f = try await NodeFixture.start()
        defer { Task { await f.stop() } }
        try await f.createSchema()
        let insert = try await f.client.prepare("INSERT INTO forewarn.predictions (series, day, event_time, event_id, model_name) VALUES (?, ?, ?, ?, 'm')")
        let rows: [[CQLValue]] = (0..<30).map { [.text("s\($0 % 3)"), .date(Int32($0 % 2)), .timestamp(Int64($0)), .text("e\($0)")] }
        let groups = insert.groupByPartition(rows, maxPerGroup: 4)
        #expect(groups.allSatisfy { g in Set(g.map { insert.partitionKey(of: $0) }).count == 1 && g.count <= 4 })
        #expect(groups.count == 12)
        try await f.client.batchByPartition(insert, rows: rows, maxPerBatch: 4)
        #expect(f.node.rowCount(keyspace: "forewarn", table: "predictions") == 30)
    }

    @Test func aForgottenStatementIsPreparedAgain() async throws {
        let f = try await NodeFixture.start()
        defer { Task { await f.stop() } }
        try await f.createSchema()
        let insert = try await f.client.prepare("INSERT INTO forewarn.predictions (series, day, event_time, event_id, model_name) VALUES (?, ?, ?, ?, 'm')")
        f.node.forgetPreparedStatements()
        try await f.client.execute(insert, [.text("s"), .date(0), .timestamp(1), .text("e1")])
        f.node.forgetPreparedStatements()
        try await f.client.batch([(insert, [.text("s"), .date(0), .timestamp(2), .text("e2")])])
        #expect(f.client.metrics.snapshot.reprepares == 2)
        #expect(f.node.rowCount(keyspace: "forewarn", table: "predictions") == 2)
    }

    @Test func clearErrorsForSyntaxInvalidAndMisuse() async throws {
        let f = try await NodeFixture.start()
        defer { Task { await f.stop() } }
        await #expect(throws: CQLServerError.self) { try await f.client.query("SELEKT * FROM x") }
        do {
            try await f.client.query("SELECT * FROM nowhere.t")
            Issue.record("no error")
        } catch let e as CQLServerError {
            #expect(e.code == .invalid)
            #expect(e.description.contains("unconfigured table"))
        }
        try await f.createSchema()
        let insert = try await f.client.prepare("INSERT INTO forewarn.predictions (series, day, event_time, event_id, model_name) VALUES (?, ?, ?, ?, 'm')")
        await #expect(throws: CQLClientError.self) { try await f.client.execute(insert, [.text("only one")]) }
        await #expect(throws: CQLClientError.self) {
            try await f.client.execute(insert, [.int(1), .date(0), .timestamp(1), .text("e")])
        }
        #expect(f.client.metrics.snapshot.retries == 0)
    }

    @Test func passwordAuthentication() async throws {
        let credentials = TestNode.Credentials(username: "forewarn", password: "s3cret")
        let f = try await NodeFixture.start(credentials: credentials)
        defer { Task { await f.stop() } }
        try await f.createSchema()
        let host = ConnectionPool.Host(host: f.node.host, port: f.node.port)
        await #expect(throws: CQLClientError.authenticationRequired(NodeHandlerName.password)) {
            _ = try await Connection.connect(host: host.host, port: host.port, options: ConnectionOptions())
        }
        let wrong = ConnectionOptions(credentials: .init(username: "forewarn", password: "nope"))
        do {
            _ = try await Connection.connect(host: host.host, port: host.port, options: wrong)
            Issue.record("bad credentials accepted")
        } catch let e as CQLServerError {
            #expect(e.code == .badCredentials)
        }
    }

    @Test func registeredConnectionsHearSchemaChanges() async throws {
        let f = try await NodeFixture.start()
        defer { Task { await f.stop() } }
        let (stream, continuation) = AsyncStream.makeStream(of: Event.self)
        var options = ConnectionOptions()
        options.events = ["SCHEMA_CHANGE"]
        options.onEvent = { continuation.yield($0) }
        let listener = try await Connection.connect(host: f.node.host, port: f.node.port, options: options)
        try await f.client.query("CREATE KEYSPACE heard WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}")
        var iterator = stream.makeAsyncIterator()
        #expect(await iterator.next() == .schemaChange(SchemaChange(change: "CREATED", target: "KEYSPACE", keyspace: "heard")))
        await listener.close()
    }
}

enum NodeHandlerName {
    static let password = "org.apache.cassandra.auth.PasswordAuthenticator"
}
