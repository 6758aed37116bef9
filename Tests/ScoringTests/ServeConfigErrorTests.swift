import ConfigFiles
import Foundation
import Scoring
import Testing

/// Serve configuration errors, the embedded `cassandra` section's and the
/// named stream specs' included, all read `FILE:LINE: 'key': message`.
@Suite final class ServeConfigErrorTests {
    let dir: URL

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("forewarn-serve-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try "stream: meters\nkey: meter\ntime: ts\nfields: [kwh]\n".write(to: dir.appendingPathComponent("meters.yaml"), atomically: true, encoding: .utf8)
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    /// Writes a serve config whose lines 1-7 are always the same and `extra` starts on line 8.
    func load(_ extra: String, spec: String = "meters.yaml") throws -> ServeConfig {
        let text = """
            kafka:
              brokers: embedded
            inputs:
              - topic: meters
                spec: \(spec)
            models: [{name: meters-if}]
            output: {topic: predictions}
            \(extra)
            """
        let path = dir.appendingPathComponent("serve.yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return try ServeConfig.load(path: path, environment: [:])
    }

    func message(_ extra: String, spec: String = "meters.yaml") -> String {
        do {
            _ = try load(extra, spec: spec)
            return "accepted"
        } catch let error as ConfigError {
            return "\(error)"
        } catch {
            return "not a ConfigError: \(error)"
        }
    }

    var file: String { dir.appendingPathComponent("serve.yaml").path }

    @Test func aValidConfigLoads() throws {
        let c = try load("cassandra: {contact_points: [a], port: 9043}")
        #expect(c.inputs.first?.spec.stream == "meters" && c.cassandra?.portNumber == 9043)
    }

    @Test func aWrongTypeNamesFileLineAndKey() {
        #expect(message("batch:\n  max_events: lots") == "\(file):9: 'batch.max_events': expected a whole number from 1 to 1000000, found 'lots'")
        #expect(message("delivery: [x]") == "\(file):8: 'delivery': expected a non-empty string, found a list")
    }

    @Test func anUnknownKeyNamesFileLineAndKeyAndTheAllowedOnes() {
        #expect(message("batch: {max_events: 10, max_wait: 5}") == "\(file):8: 'batch.max_wait': unknown key (allowed here: max_events, max_wait_ms)")
        #expect(message("\nmetrcs: 127.0.0.1:9464").hasPrefix("\(file):9: 'metrcs': unknown key (allowed here: archive, batch, broker_loss_exit_after, cassandra, delivery, "))
    }

    @Test func theStopBoundsAreDurationsAboveZero() throws {
        let defaults = try load("")
        #expect(defaults.shutdownTimeout == .seconds(30) && defaults.brokerLossExitAfter == .seconds(300))
        let set = try load("shutdown_timeout: 5s\nbroker_loss_exit_after: 1m30s")
        #expect(set.shutdownTimeout == .seconds(5) && set.brokerLossExitAfter == .seconds(90))
        #expect(message("shutdown_timeout: soon").hasPrefix("\(file):8: 'shutdown_timeout': "))
        #expect(message("broker_loss_exit_after: 0s") == "\(file):8: 'broker_loss_exit_after': expected a duration above zero, found '0s'")
    }

    @Test func aMetricsAddressIsCheckedAsServeUsesIt() throws {
        let wording = "must be host:port (for example 127.0.0.1:9464, or 0.0.0.0:9464 for every interface)"
        #expect(message("metrics: \":19465\"") == "\(file):8: 'metrics': metrics listener ':19465' \(wording)")
        #expect(message("metrics: \"19466\"") == "\(file):8: 'metrics': metrics listener '19466' \(wording)")
        #expect(message("metrics: bogus") == "\(file):8: 'metrics': metrics listener 'bogus' \(wording)")
        #expect(try load("metrics: 127.0.0.1:19465").metricsListen == ListenAddress(parsing: "127.0.0.1:19465"))
        _ = try load("")  // a valid file, overridden from the environment
        #expect(throws: ConfigError("FOREWARN_METRICS: metrics listener 'bogus' \(wording)")) {
            try ServeConfig.load(path: self.file, environment: ["FOREWARN_METRICS": "bogus"])
        }
    }

    @Test func theCassandraSectionIsReadInPlaceWithItsOwnLines() {
        #expect(message("cassandra:\n  contact_points: [a]\n  port: high") == "\(file):10: 'cassandra.port': expected a whole number, found 'high'")
        #expect(message("cassandra:\n  contact_points: [a]\n  keyspaces: fw").hasPrefix("\(file):10: 'cassandra.keyspaces': unknown key (allowed here: connections_per_host, "))
        #expect(message("cassandra:\n  contact_points: [a]\n  replication: {class: Nope}") == "\(file):10: 'cassandra.replication.class': replication class 'Nope' is neither SimpleStrategy nor NetworkTopologyStrategy")
    }

    @Test func aSpecProblemIsReportedInTheSpecFile() throws {
        let spec = dir.appendingPathComponent("bad.yaml")
        try "stream: meters\ntime: ts\nfields: [kwh]\nunit: kwh\n".write(to: spec, atomically: true, encoding: .utf8)
        #expect(message("", spec: "bad.yaml") == "\(spec.path):4: 'unit': unknown key (allowed here: fields, id, key, stream, time, time_format, timezone)")
        #expect(message("", spec: "absent.yaml") == "\(file):5: 'inputs[0].spec': \(dir.appendingPathComponent("absent.yaml").path): no such file")
    }
}
