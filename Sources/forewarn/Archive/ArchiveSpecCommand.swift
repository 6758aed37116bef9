import ArgumentParser
import EventArchive
import Foundation

struct ArchiveSpecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spec",
        abstract: "Show a stream's recorded spec, or replace it while the stream holds no parts.",
        discussion: """
            Every part of a stream is written with the spec recorded at
            <archive>/<stream>/stream.yaml when its first rows landed, and later imports
            must use the same spec. While the stream holds no part files (none finished,
            in progress or quarantined), --replace records another spec; once it holds
            parts, a new shape needs a new stream name.

            Examples:
              forewarn archive spec --archive archive --stream taxi
              forewarn archive spec --archive archive --stream taxi --json
              forewarn archive spec --archive archive --stream taxi --replace taxi.yaml
            """
    )

    @OptionGroup var location: ArchiveLocation

    @Option(help: "A stream spec (YAML) to record in place of the current one; refused once the stream holds parts.")
    var replace: String?

    @Flag(help: "Print one JSON object (stream, time, key, id, fields, parts) instead of YAML.")
    var json = false

    func run() throws {
        let root = URL(fileURLWithPath: location.archive)
        if let replace {
            let spec = try loadSpec(replace, stream: location.stream)
            try StreamCatalog.replace(spec: spec, root: root)
            if !json { print("recorded \(replace) as the spec of stream '\(location.stream)'") }
        }
        let spec: StreamSpec
        do { spec = try StreamCatalog.spec(root: root, stream: location.stream) } catch let error as CatalogError {
            throw ValidationError("\(error)")
        }
        let parts = StreamCatalog.partFiles(root: root, stream: location.stream)
        if json {
            var out: [String: Any] = ["stream": spec.stream, "time": spec.time, "fields": spec.fields, "parts": parts]
            if let key = spec.key { out["key"] = key }
            if let id = spec.id { out["id"] = id }
            try printJSON(out)
        } else if replace == nil {
            print(StreamCatalog.text(of: spec), terminator: "")
            print("# \(parts) part file\(parts == 1 ? "" : "s")")
        }
    }
}
