import Foundation
import NIOCore
import Yams

/// Where and how Forewarn writes to Cassandra. A YAML document of its own for
/// `forewarn cassandra init`, and a sub-document the serve config can embed.
public struct CassandraConfig: Codable, Sendable, Equatable {
    public struct Replication: Codable, Sendable, Equatable {
        /// `SimpleStrategy` or `NetworkTopologyStrategy`.
        public var `class`: String
        /// Replicas, for SimpleStrategy.
        public var factor: Int?
        /// Replicas per data centre, for NetworkTopologyStrategy.
        public var dataCenters: [String: Int]?

        enum CodingKeys: String, CodingKey { case `class`, factor, dataCenters = "data_centers" }

        public init(class: String = "SimpleStrategy", factor: Int? = 1, dataCenters: [String: Int]? = nil) {
            self.class = `class`
            self.factor = factor
            self.dataCenters = dataCenters
        }
    }

    public var contactPoints: [String]
    public var port: Int?
    public var keyspace: String?
    public var replication: Replication?
    public var username: String?
    public var password: String?
    public var tls: TLSOptions?
    public var consistency: Consistency?
    public var connectionsPerHost: Int?
    public var requestTimeoutMs: Int?

    enum CodingKeys: String, CodingKey {
        case contactPoints = "contact_points", port, keyspace, replication, username, password, tls, consistency
        case connectionsPerHost = "connections_per_host", requestTimeoutMs = "request_timeout_ms"
    }

    public init(contactPoints: [String], port: Int? = nil, keyspace: String? = nil) {
        self.contactPoints = contactPoints
        self.port = port
        self.keyspace = keyspace
    }

    public var keyspaceName: String { keyspace ?? "forewarn" }
    public var portNumber: Int { port ?? 9042 }

    /// Reads and validates a YAML file.
    public static func load(path: String) throws -> CassandraConfig {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw CassandraConfigError("cannot read \(path): \(error.localizedDescription)")
        }
        return try parse(yaml: text, source: path)
    }

    public static func parse(yaml: String, source: String = "config") throws -> CassandraConfig {
        let config: CassandraConfig
        do { config = try YAMLDecoder().decode(CassandraConfig.self, from: yaml) } catch let error as DecodingError {
            throw CassandraConfigError("\(source): \(describe(error))")
        } catch {
            throw CassandraConfigError("\(source): not valid YAML: \(error)")
        }
        try config.validate(source: source)
        return config
    }

    public func validate(source: String = "config") throws {
        func fail(_ why: String) -> CassandraConfigError { CassandraConfigError("\(source): \(why)") }
        guard !contactPoints.isEmpty else { throw fail("contact_points must name at least one host") }
        _ = try hosts(source: source)
        guard (1...65535).contains(portNumber) else { throw fail("port \(portNumber) is not in 1...65535") }
        guard keyspaceName.range(of: "^[A-Za-z][A-Za-z0-9_]{0,47}$", options: .regularExpression) != nil else {
            throw fail("keyspace '\(keyspaceName)' must be a letter then up to 47 letters, digits or underscores")
        }
        if (username == nil) != (password == nil) { throw fail("username and password go together") }
        if let n = connectionsPerHost, !(1...64).contains(n) { throw fail("connections_per_host must be in 1...64") }
        if let ms = requestTimeoutMs, ms <= 0 { throw fail("request_timeout_ms must be positive") }
        _ = try replicationMap(source: source)
    }

    /// The contact points as hosts; an entry may carry its own port (`host:port`).
    public func hosts(source: String = "config") throws -> [ConnectionPool.Host] {
        try contactPoints.map { point in
            let parts = point.split(separator: ":", omittingEmptySubsequences: false)
            guard !point.isEmpty, parts.count <= 2, !parts[0].isEmpty else {
                throw CassandraConfigError("\(source): contact point '\(point)' is not host or host:port")
            }
            if parts.count == 2 {
                guard let p = Int(parts[1]), (1...65535).contains(p) else {
                    throw CassandraConfigError("\(source): contact point '\(point)' has no valid port")
                }
                return ConnectionPool.Host(host: String(parts[0]), port: p)
            }
            return ConnectionPool.Host(host: point, port: portNumber)
        }
    }

    /// The replication map of CREATE KEYSPACE.
    public func replicationMap(source: String = "config") throws -> [String: String] {
        let r = replication ?? Replication()
        switch r.class {
        case "SimpleStrategy":
            let f = r.factor ?? 1
            guard f >= 1 else { throw CassandraConfigError("\(source): replication factor must be at least 1") }
            return ["class": "SimpleStrategy", "replication_factor": String(f)]
        case "NetworkTopologyStrategy":
            guard let dcs = r.dataCenters, !dcs.isEmpty, dcs.values.allSatisfy({ $0 >= 1 }) else {
                throw CassandraConfigError("\(source): NetworkTopologyStrategy needs data_centers: {dc: replicas >= 1}")
            }
            return dcs.mapValues(String.init).merging(["class": "NetworkTopologyStrategy"]) { a, _ in a }
        default:
            throw CassandraConfigError("\(source): replication class '\(r.class)' is neither SimpleStrategy nor NetworkTopologyStrategy")
        }
    }

    /// Client options from this config.
    public func clientOptions() -> CQLClient.Options {
        var o = CQLClient.Options()
        if let consistency { o.consistency = consistency }
        if let n = connectionsPerHost { o.connectionsPerHost = n }
        if let ms = requestTimeoutMs { o.requestTimeout = .milliseconds(Int64(ms)) }
        o.connection.tls = tls
        if let username, let password { o.connection.credentials = .init(username: username, password: password) }
        return o
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ c: [CodingKey]) -> String { c.map(\.stringValue).joined(separator: ".") }
        switch error {
        case .keyNotFound(let key, let ctx): return "missing key '\(path(ctx.codingPath + [key]))'"
        case .typeMismatch(_, let ctx), .valueNotFound(_, let ctx): return "wrong type at '\(path(ctx.codingPath))': \(ctx.debugDescription)"
        case .dataCorrupted(let ctx): return "bad value at '\(path(ctx.codingPath))': \(ctx.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}

public struct CassandraConfigError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
