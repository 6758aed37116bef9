import ArgumentParser
import Basics
import ConfigFiles
import Foundation
import Scoring

struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Check configuration files.",
        subcommands: [ConfigCheck.self]
    )
}

struct ConfigCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a serve configuration: keys, types, the stream specs and models it names, environment overrides.",
        discussion: """
            Prints the configuration as `forewarn serve` would run it, or the first
            problem with its file and line (exit 1). It reads the file exactly as
            serve does, so what it accepts serve accepts (the `metrics` address
            included: host:port, both parts required). Then it looks each model up as
            serve does at start: the alias in the registry, the version's checksums,
            the model loading, its fields against its input stream; any of them that
            serve would refuse is named (exit 1). A version trained on another stream
            than the one it scores is a warning.

              forewarn config check Jobs/serve.yaml
              forewarn config check Jobs/serve.yaml --json
            """
    )

    @Argument(help: "The serve configuration file.")
    var file: String

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        let c: ServeConfig
        do { c = try ServeConfig.load(path: file) } catch let error as ConfigError {
            printError("\(error)")
            throw ExitCode(1)
        }
        let summary: [String: Any] = [
            "brokers": c.brokers, "group": c.group, "instance_id": c.instanceID as Any? ?? NSNull(),
            "delivery": c.delivery.rawValue, "registry": c.registry, "on_offset_reset": c.onOffsetReset.rawValue,
            "inputs": c.inputs.map { ["topic": $0.topic, "stream": $0.spec.stream, "fields": $0.spec.fields] },
            "models": c.models.map { ["name": $0.name, "alias": $0.alias, "stream": $0.stream] },
            "output_topic": c.outputTopic, "dead_letter_topic": c.deadLetterTopic,
            "archive": c.archive as Any? ?? NSNull(), "metrics": c.metricsListen?.description as Any? ?? NSNull(),
            "batch_max_events": c.batchMaxEvents, "batch_max_wait_ms": c.batchMaxWaitMs,
            "shutdown_timeout": span(c.shutdownTimeout).description, "broker_loss_exit_after": span(c.brokerLossExitAfter).description,
        ]
        let checks = ServeModelCheck.run(c)
        let refused = checks.contains { $0.refusal != nil }
        var out = summary
        out["ok"] = !refused
        out["models"] = checks.map { check -> [String: Any] in
            var m: [String: Any] = ["name": check.ref.name, "alias": check.ref.alias, "stream": check.ref.stream, "warnings": check.warnings]
            if let v = check.version { m["version"] = v }
            if let k = check.kind { m["kind"] = k }
            if let r = check.refusal { m["problem"] = r.reason }
            return m
        }
        if json {
            try printJSON(out)
            if refused { throw ExitCode(1) }
            return
        }
        for check in checks {
            if let r = check.refusal { printError("\(file): model \(check.ref.name)@\(check.ref.alias): serve would refuse it: \(r)") }
            for w in check.warnings { printError("\(file): warning: model \(check.ref.name)@\(check.ref.alias): \(w)") }
        }
        if refused { throw ExitCode(1) }
        print("\(file): ok")
        let member = c.instanceID.map { ", static member \($0)" } ?? ""
        print("kafka     \(c.brokers) (group \(c.group)\(member), \(c.delivery.rawValue))")
        for input in c.inputs { print("input     \(input.topic) -> stream \(input.spec.stream) [\(input.spec.fields.joined(separator: ", "))]") }
        for check in checks {
            let version = check.version.map { " = v\($0) (\(check.kind ?? "unknown kind"))" } ?? ""
            print("model     \(check.ref.name)@\(check.ref.alias)\(version) on \(check.ref.stream)")
        }
        print("output    \(c.outputTopic), dead letters to \(c.deadLetterTopic)")
        print("registry  \(c.registry)")
        if let a = c.archive { print("archive   \(a)") }
        if let m = c.metricsListen { print("metrics   http://\(m)/metrics") }
        print(
            "offsets   an input offset reset (data loss) is logged and counted"
                + (c.onOffsetReset == .exit ? ", then serve stops with status 8" : "; serve goes on"))
        print("stop      within \(span(c.shutdownTimeout)); exit 5 after \(span(c.brokerLossExitAfter)) without a reachable broker")
    }

    /// A duration in the grammar the file takes (whole milliseconds).
    private func span(_ d: Duration) -> TimeSpan {
        TimeSpan(milliseconds: d.components.seconds * 1_000 + d.components.attoseconds / 1_000_000_000_000_000)
    }
}
