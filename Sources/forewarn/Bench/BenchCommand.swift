import ArgumentParser

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure Forewarn's hot paths (build with -c release first).",
        discussion: "Figures and the machine they came from are recorded in docs/benchmarks.md.",
        subcommands: [
            BenchArchive.self, BenchIsolationForest.self, BenchForecast.self, BenchServe.self, BenchCassandra.self, BenchDetection.self,
        ]
    )
}
