import CQL
import ConfigFiles
import Testing

@Suite struct CassandraConfigTests {
    @Test func aFullConfigParses() throws {
        let c = try CassandraConfig.parse(yaml: """
            contact_points: [10.0.0.1, "10.0.0.2:9043"]
            port: 9142
            keyspace: fw
            replication: {class: NetworkTopologyStrategy, data_centers: {dc1: 3, dc2: 2}}
            username: u
            password: p
            tls: {ca_file: /etc/ca.pem, verify: false}
            consistency: local_one
            connections_per_host: 4
            """)
        #expect(try c.hosts() == [.init(host: "10.0.0.1", port: 9142), .init(host: "10.0.0.2", port: 9043)])
        #expect(try c.replicationMap() == ["class": "NetworkTopologyStrategy", "dc1": "3", "dc2": "2"])
        #expect(c.tls == TLSOptions(caFile: "/etc/ca.pem", verify: false))
        #expect(c.clientOptions().consistency == .localOne && c.clientOptions().connectionsPerHost == 4)
    }

    @Test func defaults() throws {
        let c = try CassandraConfig.parse(yaml: "contact_points: [127.0.0.1]")
        #expect(c.keyspaceName == "forewarn" && c.portNumber == 9042)
        #expect(try c.replicationMap() == ["class": "SimpleStrategy", "replication_factor": "1"])
    }

    @Test(arguments: [
        ("contact_points: []", 1, "at least one host"),
        ("port: 9042", 1, "contact_points"),
        ("contact_points: [a]\nport: 70000", 2, "port 70000"),
        ("contact_points: [\"a:x\"]", 1, "no valid port"),
        ("contact_points: [a]\nkeyspace: \"bad-name\"", 2, "keyspace"),
        ("contact_points: [a]\nusername: u", 2, "go together"),
        ("contact_points: [a]\nreplication: {class: Other}", 2, "neither SimpleStrategy"),
        ("contact_points: [a]\nreplication: {class: NetworkTopologyStrategy}", 2, "data_centers"),
        ("contact_points: [a]\nreplication: {class: SimpleStrategy, factor: 0}", 2, "at least 1"),
        ("contact_points: [a]\nconsistency: sometimes", 2, "consistency"),
        ("contact_points: [a", 2, "YAML"),
    ])
    func badConfigsAreClearErrors(_ yaml: String, _ line: Int, _ mention: String) {
        do {
            _ = try CassandraConfig.parse(yaml: yaml, source: "c.yaml")
            Issue.record("accepted: \(yaml)")
        } catch {
            #expect("\(error)".contains(mention), "\(error)")
            #expect("\(error)".hasPrefix("c.yaml:\(line): "), "\(error)")
        }
    }

    @Test func fileLineAndKeyForAWrongTypeAndAnUnknownKey() {
        #expect(throws: ConfigError(file: "c.yaml", line: 3, key: "port", "expected a whole number, found 'high'")) {
            try CassandraConfig.parse(yaml: "contact_points: [a]\nkeyspace: fw\nport: high\n", source: "c.yaml")
        }
        #expect(throws: ConfigError(file: "c.yaml", line: 2, key: "tls.verfiy", "unknown key (allowed here: ca_file, server_name, verify)")) {
            try CassandraConfig.parse(yaml: "contact_points: [a]\ntls: {verfiy: false}\n", source: "c.yaml")
        }
        #expect(throws: ConfigError(file: "c.yaml", line: 1, key: "contact_point", "unknown key (allowed here: connections_per_host, consistency, contact_points, keyspace, password, port, replication, request_timeout_ms, tls, username)")) {
            try CassandraConfig.parse(yaml: "contact_point: [a]\n", source: "c.yaml")
        }
    }
}
