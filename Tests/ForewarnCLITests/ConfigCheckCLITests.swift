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

    /// `config check` looks the models up as serve does at start: what serve would refuse, it names (exit 1).
    @Test func modelsAreCheckedAgainstTheRegistryAndTheStream() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let empty = try MinimalServeConfig.write(in: dir, model: false)
        let missing = try CLIRunner.run(["config", "check", empty])
        #expect(missing.status == 1, "\(missing.stdout)")
        #expect(missing.stderr.contains("model meters-if@production: serve would refuse it: meters-if: no model 'meters-if' in the registry"), "\(missing.stderr)")
        let serve = try CLIRunner.run(["serve", "--config", empty], timeout: .seconds(60))
        #expect(serve.status == 1 && serve.stderr.contains("no model 'meters-if' in the registry"), "serve refuses it alike: \(serve.stderr)")
        let file = try MinimalServeConfig.write(in: dir)
        let fine = try CLIRunner.run(["config", "check", file])
        #expect(fine.status == 0 && fine.stdout.contains("model     meters-if@production = v1 (isolation-forest) on meters"), "\(fine.stdout) \(fine.stderr)")

        // A version that reads a field the stream lacks: serve would refuse to start with it.
        try MinimalServeConfig.register(fields: ["kwh", "voltage"], in: dir, force: true)
        let wide = try CLIRunner.run(["config", "check", file, "--json"])
        #expect(wide.status == 1)
        let models = jsonObject(wide.stdout)["models"] as? [[String: Any]]
        #expect(jsonObject(wide.stdout)["ok"] as? Bool == false && models?.first?["version"] as? Int == 2)
        #expect((models?.first?["problem"] as? String)?.contains("reads fields voltage that stream 'meters' does not have") == true, "\(wide.stdout)")

        // Trained on another stream with the same fields: serve would serve it, with a warning here.
        try MinimalServeConfig.register(fields: ["kwh"], stream: "taxi", in: dir, force: true)
        let other = try CLIRunner.run(["config", "check", file])
        #expect(other.status == 0, "\(other.stderr)")
        #expect(other.stderr.contains("warning: model meters-if@production: v3 was trained on stream 'taxi'"), "\(other.stderr)")
    }
}
