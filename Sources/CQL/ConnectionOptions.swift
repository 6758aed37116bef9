import NIOCore
import NIOSSL

/// How to open and start a connection.
/// A username and password for PasswordAuthenticator.
public struct Credentials: Sendable, Equatable {
    public var username: String
    public var password: String
    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }
}

public struct ConnectionOptions: Sendable {
    public var keyspace: String?
    public var credentials: Credentials?
    public var tls: TLSOptions?
    public var connectTimeout: TimeAmount = .seconds(5)
    public var requestTimeout: TimeAmount = .seconds(10)
    /// Event types to REGISTER for (TOPOLOGY_CHANGE, STATUS_CHANGE, SCHEMA_CHANGE); none by default.
    public var events: [String] = []
    public var onEvent: @Sendable (Event) -> Void = { _ in }

    public init(keyspace: String? = nil, credentials: Credentials? = nil, tls: TLSOptions? = nil) {
        self.keyspace = keyspace
        self.credentials = credentials
        self.tls = tls
    }
}

/// TLS through swift-nio-ssl.
public struct TLSOptions: Sendable, Codable, Equatable {
    /// PEM file of the certificate authorities to trust; the system's when absent.
    public var caFile: String?
    /// Verify the node's certificate (default true).
    public var verify: Bool?
    /// The name to expect in the node's certificate, when it is not the contact point's host name.
    public var serverName: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case caFile = "ca_file", verify, serverName = "server_name"
    }

    public init(caFile: String? = nil, verify: Bool? = nil, serverName: String? = nil) {
        self.caFile = caFile
        self.verify = verify
        self.serverName = serverName
    }

    func clientConfiguration() throws -> TLSConfiguration {
        var c = TLSConfiguration.makeClientConfiguration()
        if let caFile { c.trustRoots = .file(caFile) }
        if verify == false { c.certificateVerification = .none }
        return c
    }
}
