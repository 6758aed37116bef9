import CQL
import CQLTestNode
import Testing

@Suite struct RetryTests {
    static let insertCQL = "INSERT INTO forewarn.predictions (series, day, event_time, event_id, model_name) VALUES (?, ?, ?, ?, 'm')"

    @Test(arguments: [Fault.writeTimeout, .readTimeout, .unavailable, .overloaded, .dropConnection])
    func transientFaultsAreRetried(_ fault: Fault) async throws {
        let f = try await NodeFixture.start()
        defer { Task { await f.stop() } }
        try await f.createSchema()
        let insert = try await f.client.prepare(Self.insertCQL)
        f.node.faults.inject(fault, count: 2)
        try await f.client.execute(insert, [.text("s"), .date(0), .timestamp(1), .text("e")])
        #expect(f.node.faults.servedCount == 2)
        #expect(f.client.metrics.snapshot.retries == 2)
        #expect(f.node.rowCount(keyspace: "forewarn", table: "predictions") == 1)
    }

    @Test func givesUpAfterMaxAttemptsWithTheLastError() async throws {
        let f = try await NodeFixture.start()
        defer { Task { await f.stop() } }
        try await f.createSchema()
        let insert = try await f.client.prepare(Self.insertCQL)
        f.node.faults.inject(.unavailable, count: 10)
        do {
            try await f.client.execute(insert, [.text("s"), .date(0), .timestamp(1), .text("e")])
            Issue.record("no error")
        } catch let e as CQLServerError {
            #expect(e.code == .unavailable)
            #expect(e.details == .unavailable(consistency: .localQuorum, required: 1, alive: 0))
        }
        #expect(f.node.faults.servedCount == 4)
    }

    @Test func nonTransientErrorsAreNotRetried() async throws {
        let f = try await NodeFixture.start()
        defer { Task { await f.stop() } }
        try await f.createSchema()
        let insert = try await f.client.prepare(Self.insertCQL)
        f.node.faults.inject(.error(CQLServerError(code: .unauthorized, message: "no MODIFY permission")), count: 3)
        await #expect(throws: CQLServerError(code: .unauthorized, message: "no MODIFY permission")) {
            try await f.client.execute(insert, [.text("s"), .date(0), .timestamp(1), .text("e")])
        }
        #expect(f.node.faults.servedCount == 1)
    }

    @Test func aSilentNodeTimesOutAndTheRetrySucceeds() async throws {
        var options = NodeFixture.fastRetries
        // Long enough that a loaded machine's slow answer is not taken for the silence being tested.
        options.requestTimeout = .seconds(1)
        let f = try await NodeFixture.start(options: options)
        defer { Task { await f.stop() } }
        try await f.createSchema()
        let insert = try await f.client.prepare(Self.insertCQL)
        f.node.faults.inject(.noResponse, count: 1)
        try await f.client.execute(insert, [.text("s"), .date(0), .timestamp(1), .text("e")])
        #expect(f.client.metrics.snapshot.retries == 1)
    }

    @Test func noHostAvailableNamesTheHosts() async throws {
        let node = try await TestNode.start()
        let port = node.port
        await node.stop()
        do {
            _ = try await CQLClient.connect(hosts: [.init(host: "127.0.0.1", port: port)])
            Issue.record("connected to a stopped node")
        } catch let e as CQLClientError {
            #expect(e.description.contains("127.0.0.1:\(port)"))
        }
    }
}
