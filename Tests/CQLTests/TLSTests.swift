import CQL
import CQLTestNode
import Foundation
import Testing

@Suite struct TLSTests {
    /// A self-signed certificate for 127.0.0.1 made with the openssl command.
    static func makeCertificate(in dir: URL) throws -> TestNode.TLSFiles {
        let cert = dir.appendingPathComponent("node.pem").path, key = dir.appendingPathComponent("node.key").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        p.arguments = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]
        p.standardError = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "openssl could not make a certificate")
        return TestNode.TLSFiles(certificateFile: cert, keyFile: key)
    }

    @Test func theClientTalksTLSWithATrustedCertificate() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("forewarn-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let files = try Self.makeCertificate(in: dir)
        let node = try await TestNode.start(tls: files)
        defer { Task { await node.stop() } }
        var options = CQLClient.Options()
        options.connection.tls = TLSOptions(caFile: files.certificateFile)
        let client = try await CQLClient.connect(hosts: [.init(host: node.host, port: node.port)], options: options)
        let rows = try await client.select("SELECT release_version FROM system.local")
        #expect(rows.rows == [[.text("3.11.16")]])
        await client.close()

        var untrusting = CQLClient.Options()
        untrusting.retry = .noRetries
        untrusting.connection.tls = TLSOptions()
        await #expect(throws: CQLClientError.self) {
            _ = try await CQLClient.connect(hosts: [.init(host: node.host, port: node.port)], options: untrusting)
        }
    }
}
