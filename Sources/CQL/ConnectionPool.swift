import NIOCore
import NIOPosix

/// Connections to several contact points, a fixed number per host, handed out round-robin.
/// A closed connection is replaced on demand; one that cannot be reopened is skipped.
public actor ConnectionPool {
    public struct Host: Sendable, Hashable, CustomStringConvertible {
        public var host: String
        public var port: Int
        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }
        public var description: String { "\(host):\(port)" }
    }

    private let slots: [Host]
    private let options: ConnectionOptions
    private let group: EventLoopGroup
    private var connections: [Connection?]
    private var opening: [Int: Task<Connection, Error>] = [:]
    private var next = 0
    private var closed = false
    private var downUntil: [Int: ContinuousClock.Instant] = [:]
    private let clock = ContinuousClock()
    private let reconnectDelay = Duration.seconds(1)

    public init(hosts: [Host], connectionsPerHost: Int, options: ConnectionOptions,
        group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        let perHost = max(1, connectionsPerHost)
        slots = (0..<perHost).flatMap { _ in hosts }
        connections = Array(repeating: nil, count: slots.count)
        self.options = options
        self.group = group
    }

    /// Opens one connection per slot; succeeds when at least one host answered.
    public func warmUp() async throws {
        var failures: [String] = []
        for i in slots.indices {
            do { _ = try await open(i) } catch { note(error, slot: i, in: &failures) }
        }
        if connections.allSatisfy({ $0 == nil }) {
            throw CQLClientError.noHostAvailable(failures.joined(separator: "; "))
        }
    }

    /// The next open connection, reopening closed ones as it goes. A slot that failed to open
    /// is skipped for `reconnectDelay` while others work, so a dead host does not slow every request.
    public func connection() async throws -> Connection {
        guard !closed else { throw CQLClientError.noHostAvailable("the pool is closed") }
        var failures: [String] = []
        for pass in 0..<2 {
            for _ in slots.indices {
                let i = next
                next = (next + 1) % slots.count
                if let c = connections[i], c.isActive { return c }
                if pass == 0, let until = downUntil[i], clock.now < until { continue }
                do {
                    let c = try await open(i)
                    downUntil[i] = nil
                    return c
                } catch let error as CQLServerError {
                    throw error
                } catch {
                    downUntil[i] = clock.now + reconnectDelay
                    note(error, slot: i, in: &failures)
                }
            }
            if !failures.isEmpty { break }
        }
        throw CQLClientError.noHostAvailable(failures.joined(separator: "; "))
    }

    /// Adds why slot `i` failed to `failures`, once (several slots of one host fail alike); a failed connect
    /// names its host already.
    private func note(_ error: any Error, slot i: Int, in failures: inout [String]) {
        let text: String
        if case CQLClientError.connectFailed = error { text = "\(error)" } else { text = "\(slots[i]): \(error)" }
        if !failures.contains(text) { failures.append(text) }
    }

    private func open(_ i: Int) async throws -> Connection {
        if let task = opening[i] { return try await task.value }
        let host = slots[i], options = options, group = group
        let task = Task { try await Connection.connect(host: host.host, port: host.port, options: options, group: group) }
        opening[i] = task
        defer { opening[i] = nil }
        let c = try await task.value
        if closed {
            await c.close()
            throw CQLClientError.noHostAvailable("the pool is closed")
        }
        connections[i] = c
        return c
    }

    public func close() async {
        closed = true
        let all = connections.compactMap { $0 }
        connections = Array(repeating: nil, count: slots.count)
        for c in all { await c.close() }
    }

    public var openConnections: Int { connections.filter { $0?.isActive == true }.count }
}
