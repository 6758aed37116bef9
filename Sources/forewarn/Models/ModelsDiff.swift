import ArgumentParser
import ModelRegistry

struct ModelsDiff: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two versions' parameters, metrics, stream, fields and training data side by side.",
        discussion: """
            Rows that differ are marked with '*'; a value a version lacks shows as '-'.

            Examples:
              forewarn models diff meters 3 4
              forewarn models diff meters 3 4 --json
            """
    )

    @OptionGroup var options: RegistryOptions

    @Argument(help: "Model name.")
    var name: String

    @Argument(help: "First version.")
    var first: Int

    @Argument(help: "Second version.")
    var second: Int

    /// Each key maps to [value in the first version, value in the second]; null where absent.
    struct Output: Encodable {
        var name: String
        var versions: [Int]
        var parameters: [String: [String?]]
        var metrics: [String: [Double?]]
        var training: [String: [String?]]
    }

    func run() throws {
        let registry = options.open()
        let (a, b) = try withRegistryErrors {
            (try registry.metadata(name: name, version: first), try registry.metadata(name: name, version: second))
        }
        let output = Output(
            name: name, versions: [first, second], parameters: sideBySide(a.parameters, b.parameters),
            metrics: sideBySide(a.metrics, b.metrics), training: sideBySide(training(a), training(b)))
        if options.json { return try printEncoded(output) }
        var rows = [["", "", "v\(first)", "v\(second)"]]
        func add<V: Equatable>(_ section: String, _ values: [String: [V?]], _ show: (V) -> String) {
            for (key, pair) in values.sorted(by: { $0.key < $1.key }) {
                let cells = pair.map { $0.map(show) ?? "-" }
                rows.append([pair[0] == pair[1] ? " " : "*", "\(section) \(key)", cells[0], cells[1]])
            }
        }
        add("param", output.parameters) { $0 }
        add("metric", output.metrics, formatMetric)
        add("training", output.training) { $0 }
        printTable(rows)
    }

    private func training(_ m: ModelVersionMetadata) -> [String: String] {
        var t = ["kind": m.modelKind, "rows": "\(m.rowCount)", "parts": "\(m.partitions.count)"]
        let shape = ModelShape(m)
        if let stream = shape.stream { t["stream"] = stream }
        if let fields = shape.fields { t["fields"] = fields.joined(separator: ",") }
        if let w = m.trainingWindow { t["window"] = "\(w.from) .. \(w.to)" }
        return t
    }

    private func sideBySide<V>(_ a: [String: V], _ b: [String: V]) -> [String: [V?]] {
        Dictionary(uniqueKeysWithValues: Set(a.keys).union(b.keys).map { ($0, [a[$0], b[$0]]) })
    }
}
