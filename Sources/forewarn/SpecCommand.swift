import ArgumentParser
import ConfigFiles
import EventArchive
import Foundation

struct SpecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spec",
        abstract: "Work with stream specs (the YAML that says what a stream's events look like).",
        subcommands: [SpecCheck.self]
    )
}

struct SpecCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a stream spec and print what it describes.",
        discussion: """
            A spec has the keys stream, time, fields, and optionally key and id:

              stream: taxi
              key: zone            # series key field; one series when absent
              time: pickup_at      # RFC 3339 text or epoch milliseconds
              fields: [fare, distance, duration]
              id: trip_id          # optional event-id field

            Errors name the file and line. Exit status 1 when the spec is invalid.
            """
    )

    @Argument(help: "The spec file (YAML).")
    var file: String

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        let spec: StreamSpec
        do {
            spec = try StreamSpec.load(path: file)
        } catch let error as ConfigError {
            printError("error: \(error)")
            throw ExitCode(1)
        }
        if json {
            try printJSON([
                "valid": true, "stream": spec.stream, "time": spec.time, "fields": spec.fields,
                "key": spec.key as Any? ?? NSNull(), "id": spec.id as Any? ?? NSNull(), "spec_hash": spec.specHash,
            ])
        } else {
            print("\(file): valid stream spec")
            print("  stream  \(spec.stream)")
            print("  time    \(spec.time)")
            print("  key     \(spec.key ?? "(none: one series)")")
            print("  id      \(spec.id ?? "(none)")")
            print("  fields  \(spec.fields.joined(separator: ", "))")
            print("  hash    \(spec.specHash)")
        }
    }
}
