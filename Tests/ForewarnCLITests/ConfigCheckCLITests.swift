import Foundation
import Testing

/// `config check` refuses exactly the metrics addresses `serve` refuses, in the same words.
@Suite(.serialized) struct ConfigCheckCLITests {
    static func config(_ dir: TempDir, metrics: String) throws -> String {
        try MinimalServeConfig.write(in: dir, extra: "metrics: \"\(metrics)\"")
    }

    @Test func badMetricsAddressesAreRefusedByCheckAndServeAlike() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        for bad in [":19465", "19466", "bogus"] {
            let file = try Self.config(dir, metrics: bad)
            let check = try CLIRunner.run(["config", "check", file])
            #expect(check.status == 1, "\(bad): \(check.stdout)")
            #expect(check.stderr.contains("\(file):6: 'metrics': metrics listener '\(bad)' must be host:port"), "\(check.stderr)")
            let serve = try CLIRunner.run(["serve", "--config", file])
            #expect(serve.status == 1 && serve.stderr.contains("metrics listener '\(bad)' must be host:port"), "\(serve.stderr)")
        }
        let good = try CLIRunner.run(["config", "check", try Self.config(dir, metrics: "127.0.0.1:19465"), "--json"])
        #expect(good.status == 0 && jsonObject(good.stdout)["metrics"] as? String == "127.0.0.1:19465", "\(good.stderr)")
        #expect(jsonObject(good.stdout)["shutdown_timeout"] as? String == "30s" && jsonObject(good.stdout)["broker_loss_exit_after"] as? String == "5m")
        #expect(jsonObject(good.stdout)["instance_id"] is NSNull && jsonObject(good.stdout)["on_offset_reset"] as? String == "continue")
    }

    /// What `serve` will do about static membership and offset resets is shown before it runs.
    @Test func instanceIdAndOffsetResetPolicyAreShown() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let base = try String(contentsOfFile: try Self.config(dir, metrics: "127.0.0.1:19467"), encoding: .utf8)
        let file = try dir.write(
            "static.yaml",
            base.replacingOccurrences(of: "kafka: {brokers: embedded}", with: "kafka: {brokers: embedded, instance_id: scorer-0}")
                + "\non_offset_reset: exit\n")
        let json = try CLIRunner.run(["config", "check", file, "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        #expect(jsonObject(json.stdout)["instance_id"] as? String == "scorer-0")
        #expect(jsonObject(json.stdout)["on_offset_reset"] as? String == "exit")
        let text = try CLIRunner.run(["config", "check", file])
        #expect(text.stdout.contains("static member scorer-0") && text.stdout.contains("stops with status 8"), "\(text.stdout)")
    }
}
