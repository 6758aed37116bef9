import Foundation

/// The smallest serve configuration `serve` and `config check` accept: the embedded cluster, one meters
/// stream, one model, written into `dir` with `extra` YAML lines after the rest. Returns the file's path.
enum MinimalServeConfig {
    static func write(in dir: TempDir, name: String = "serve.yaml", extra: String = "") throws -> String {
        _ = try dir.write("meters.yaml", "stream: meters\nkey: meter\ntime: ts\nfields: [kwh]\n")
        return try dir.write(
            name,
            """
            kafka: {brokers: embedded}
            inputs: [{topic: meters, spec: meters.yaml}]
            models: [{name: meters-if}]
            output: {topic: predictions}
            registry: \(dir.path("Models"))
            \(extra)
            """)
    }
}
