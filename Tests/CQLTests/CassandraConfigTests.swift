import CQL
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
        ("contact_points: []", "at least one host"),
        ("port: 9042", "contact_points"),
        ("contact_points: [a]\nport: 70000", "port 70000"),
        ("contact_points: [\"a:x\"]", "no valid port"),
        ("contact_points: [a]\nkeyspace: \"bad-name\"", "keyspace"),
        ("contact_points: [a]\nusername: u", "go together"),
        ("contact_points: [a]\nreplication: {class: Other}", "neither SimpleStrategy"),
        ("contact_points: [a]\nreplication: {class: NetworkTopologyStrategy}", "data_centers"),
        ("contact_points: [a]\nreplication: {class: SimpleStrategy, factor: 0}", "at least 1"),
        ("contact_points: [a]\nconsistency: sometimes", "consistency"),
        ("contact_points: [a", "YAML"),
    ])
    func badConfigsAreClearErrors(_ yaml: String, _ mention: String) {
        do {
            _ = try CassandraConfig.parse(yaml: yaml, source: "c.yaml")
            Issue.record("accepted: \(yaml)")
        } catch {
            #expect("\(error)".contains(mention), "\(error)")
            #expect("\(error)".hasPrefix("c.yaml: "))
        }
    }
}
