import NIOConcurrencyHelpers
import NIOCore

/// The client Forewarn uses: a pool over the contact points, prepared statements that survive a
/// node forgetting them, batches, consistency levels, timeouts and retries.
public final class CQLClient: Sendable {
    public struct Options: Sendable {
        public var consistency: Consistency = .localQuorum
        public var serialConsistency: Consistency?
        public var requestTimeout: TimeAmount = .seconds(10)
        public var retry: RetryPolicy = .default
        public var connectionsPerHost = 2
        public var connection = ConnectionOptions()
        public init() {}
    }

    public let options: Options
    public let metrics = ClientMetrics()
    let pool: ConnectionPool
    private let preparedIDs = NIOLockedValueBox([String: [UInt8]]())

    public init(hosts: [ConnectionPool.Host], options: Options) {
        self.options = options
        pool = ConnectionPool(hosts: hosts, connectionsPerHost: options.connectionsPerHost, options: options.connection)
    }

    /// Opens the pool; throws when no contact point answers.
    public static func connect(hosts: [ConnectionPool.Host], options: Options = Options()) async throws -> CQLClient {
        let client = CQLClient(hosts: hosts, options: options)
        try await client.pool.warmUp()
        return client
    }

    public func close() async { await pool.close() }

    /// Runs a statement without preparing it; values are sent in their natural types.
    @discardableResult
    public func query(_ cql: String, _ values: [CQLValue] = [], consistency: Consistency? = nil) async throws -> QueryResult {
        var params = QueryParameters(consistency: consistency ?? options.consistency, serialConsistency: options.serialConsistency)
        params.values = try values.map { v in
            var b = ByteBuffer()
            try ValueCodec.write(v, as: v.naturalType, into: &b)
            return try b.readCQLBytes()
        }
        let request = Request.query(cql, params)
        return try await perform { connection in
            try await connection.call(request, timeout: self.options.requestTimeout)
        }
    }

    /// Rows of a SELECT.
    public func select(_ cql: String, _ values: [CQLValue] = [], consistency: Consistency? = nil) async throws -> Rows {
        guard case .rows(let rows) = try await query(cql, values, consistency: consistency) else {
            throw CQLClientError.unexpectedResponse("no rows for: \(cql)")
        }
        return rows
    }

    public func prepare(_ cql: String) async throws -> PreparedStatement {
        try await perform { connection in try await self.prepare(cql, on: connection) }
    }

    @discardableResult
    public func execute(_ statement: PreparedStatement, _ values: [CQLValue], consistency: Consistency? = nil) async throws -> QueryResult {
        let encoded = try statement.encode(values)
        let params = QueryParameters(consistency: consistency ?? options.consistency, values: encoded,
            serialConsistency: options.serialConsistency)
        return try await perform { connection in
            try await self.withReprepare([statement.cql], on: connection) {
                try await connection.call(.execute(id: try self.id(of: statement.cql), params), timeout: self.options.requestTimeout)
            }
        }
    }

    /// Sends prepared statements with their values as one batch (unlogged unless asked otherwise).
    /// `retry` overrides the client's policy for this call (a caller with its own loop passes `.noRetries`).
    public func batch(_ entries: [(PreparedStatement, [CQLValue])], kind: Batch.Kind = .unlogged, consistency: Consistency? = nil,
        retry: RetryPolicy? = nil) async throws {
        let encoded = try entries.map { (cql: $0.0.cql, values: try $0.0.encode($0.1)) }
        let cqls = Array(Set(encoded.map(\.cql)))
        _ = try await perform(retry: retry) { connection in
            try await self.withReprepare(cqls, on: connection) {
                let statements = try encoded.map { Batch.Statement.prepared(id: try self.id(of: $0.cql), values: $0.values) }
                let batch = Batch(kind: kind, statements: statements, consistency: consistency ?? self.options.consistency,
                    serialConsistency: self.options.serialConsistency)
                return try await connection.call(.batch(batch), timeout: self.options.requestTimeout)
            }
        }
    }

    /// Writes rows of one prepared statement in unlogged batches, one partition per batch.
    public func batchByPartition(_ statement: PreparedStatement, rows: [[CQLValue]], maxPerBatch: Int = 100,
        consistency: Consistency? = nil) async throws {
        for group in statement.groupByPartition(rows, maxPerGroup: maxPerBatch) {
            try await batch(group.map { (statement, $0) }, consistency: consistency)
        }
    }

    // MARK: - Attempts

    private func perform<T: Sendable>(retry: RetryPolicy? = nil, _ attempt: @Sendable (Connection) async throws -> T)
        async throws -> T {
        let policy = retry ?? options.retry
        var failures = 0
        while true {
            metrics.update { $0.requests += 1 }
            do {
                return try await attempt(try await pool.connection())
            } catch {
                failures += 1
                guard policy.isRetryable(error), failures < policy.maxAttempts else {
                    metrics.update { $0.failures += 1 }
                    throw error
                }
                metrics.update { $0.retries += 1 }
                try await Task.sleep(for: policy.delay(afterAttempt: failures))
            }
        }
    }

    private func withReprepare<T: Sendable>(_ cqls: [String], on connection: Connection, _ body: () async throws -> T) async throws -> T {
        do {
            for cql in cqls where (preparedIDs.withLockedValue { $0[cql] == nil }) { _ = try await prepare(cql, on: connection) }
            return try await body()
        } catch let error as CQLServerError where error.code == .unprepared {
            metrics.update { $0.reprepares += 1 }
            for cql in cqls { _ = try await prepare(cql, on: connection) }
            return try await body()
        }
    }

    private func prepare(_ cql: String, on connection: Connection) async throws -> PreparedStatement {
        guard case .prepared(let p) = try await connection.call(.prepare(cql), timeout: options.requestTimeout) else {
            throw CQLClientError.unexpectedResponse("PREPARE was not answered with a prepared result")
        }
        preparedIDs.withLockedValue { $0[cql] = p.id }
        return PreparedStatement(cql: cql, bindColumns: p.bindColumns, pkIndices: p.pkIndices, resultColumns: p.resultColumns)
    }

    private func id(of cql: String) throws -> [UInt8] {
        guard let id = preparedIDs.withLockedValue({ $0[cql] }) else {
            throw CQLClientError.unexpectedResponse("statement was never prepared: \(cql)")
        }
        return id
    }
}
