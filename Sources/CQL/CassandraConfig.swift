import ConfigFiles
import Foundation
import NIOCore

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

        enum CodingKeys: String, CodingKey, CaseIterable { case `class`, factor, dataCenters = "data_centers" }

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

    /// `CaseIterable`, so a misspelt key is refused by name with the allowed ones listed.
    enum CodingKeys: String, CodingKey, CaseIterable {
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
        try parse(ConfigNode.load(path: path))
    }

    /// Parses and validates YAML text; `source` names the file in errors.
    public static func parse(yaml: String, source: String? = nil) throws -> CassandraConfig {
        try parse(ConfigNode.parse(yaml: yaml, file: source))
    }

    /// Decodes and validates a YAML node: a file of its own, or the `cassandra`
    /// section of a serve config (whose errors then name that file and `cassandra.…`).
    public static func parse(_ node: ConfigNode) throws -> CassandraConfig {
        let config = try node.decode(CassandraConfig.self)
        do { try config.validate() } catch let error as ConfigError { throw node.locate(error) }
        return config
    }

    /// Checks the values; errors name the key (relative to the config) but no
    /// line, which `parse` adds.
    public func validate() throws {
        func fail(_ key: String, _ why: String) -> ConfigError { ConfigError(key: key, why) }
        guard !contactPoints.isEmpty else { throw fail("contact_points", "expected at least one host") }
        _ = try hosts()
        guard (1...65535).contains(portNumber) else { throw fail("port", "port \(portNumber) is not in 1...65535") }
        guard keyspaceName.range(of: "^[A-Za-z][A-Za-z0-9_]{0,47}$", options: .regularExpression) != nil else {
            throw fail("keyspace", "keyspace '\(keyspaceName)' must be a letter then up to 47 letters, digits or underscores")
        }
        if (username == nil) != (password == nil) { throw fail(username == nil ? "password" : "username", "username and password go together") }
        if let n = connectionsPerHost, !(1...64).contains(n) { throw fail("connections_per_host", "expected a number in 1...64, found \(n)") }
        if let ms = requestTimeoutMs, ms <= 0 { throw fail("request_timeout_ms", "expected a positive number of milliseconds, found \(ms)") }
        _ = try replicationMap()
    }

    /// The contact points as hosts; an entry may carry its own port (`host:port`).
    public func hosts() throws -> [ConnectionPool.Host] {
        try contactPoints.enumerated().map { i, point in
            let parts = point.split(separator: ":", omittingEmptySubsequences: false)
            guard !point.isEmpty, parts.count <= 2, !parts[0].isEmpty else {
                throw ConfigError(key: "contact_points[\(i)]", "contact point '\(point)' is not host or host:port")
            }
            if parts.count == 2 {
                guard let p = Int(parts[1]), (1...65535).contains(p) else {
                    throw ConfigError(key: "contact_points[\(i)]", "contact point '\(point)' has no valid port")
                }
                return ConnectionPool.Host(host: String(parts[0]), port: p)
            }
            return ConnectionPool.Host(host: point, port: portNumber)
        }
    }

    /// The replication map of CREATE KEYSPACE.
    public func replicationMap() throws -> [String: String] {
        let r = replication ?? Replication()
        switch r.class {
        case "SimpleStrategy":
            let f = r.factor ?? 1
            guard f >= 1 else { throw ConfigError(key: "replication.factor", "replication factor must be at least 1") }
            return ["class": "SimpleStrategy", "replication_factor": String(f)]
        case "NetworkTopologyStrategy":
            guard let dcs = r.dataCenters, !dcs.isEmpty, dcs.values.allSatisfy({ $0 >= 1 }) else {
                throw ConfigError(key: "replication.data_centers", "NetworkTopologyStrategy needs data_centers: {dc: replicas >= 1}")
            }
            return dcs.mapValues(String.init).merging(["class": "NetworkTopologyStrategy"]) { a, _ in a }
        default:
            throw ConfigError(
                key: "replication.class", "replication class '\(r.class)' is neither SimpleStrategy nor NetworkTopologyStrategy")
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
}
