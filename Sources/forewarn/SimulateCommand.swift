import ArgumentParser
import Basics
import EventArchive
import Foundation

struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Write realistic multi-series meter data with labelled anomalies into the archive.",
        discussion: """
            Each series has daily and weekly seasonality, a trend, noise, rare level
            shifts, spikes, dips, voltage sags and dropouts. The injected anomalies are
            written to <archive>/<stream>/_labels/ as CSV (series, time, kind, field). The
            same --seed gives the same data, byte for byte.

              forewarn simulate --archive archive --stream meters --series 50 \\
                  --days 14 --seed 7
            """
    )

    @Option(help: "Archive root directory.")
    var archive: String = "archive"

    @Option(help: "Stream name.")
    var stream: String = "meters"

    @Option(help: "Number of series (meters).")
    var series: Int = 20

    @Option(help: "Days of data.")
    var days: Int = 14

    @Option(help: "Time between readings: 30s, 5m, 1h ...")
    var cadence: String = "5m"

    @Option(help: "First timestamp (RFC 3339 or a date).")
    var start: String = "2026-01-01T00:00:00Z"

    @Option(help: "Random seed.")
    var seed: UInt64 = 1

    @Option(help: "Fraction of readings that are injected anomalies.")
    var anomalyRate: Double = 0.002

    @Flag(help: "Print a JSON summary instead of text.")
    var json = false

    func validate() throws {
        guard series > 0, series <= 1_000_000 else { throw ValidationError("--series must be between 1 and 1000000") }
        guard days > 0, days <= 3660 else { throw ValidationError("--days must be between 1 and 3660") }
        guard (0...0.2).contains(anomalyRate) else { throw ValidationError("--anomaly-rate must be between 0 and 0.2") }
        guard StreamSpec.isSafeName(stream) else { throw ValidationError("--stream must match [A-Za-z0-9_.-]+") }
        _ = try parseDuration(cadence, option: "--cadence", examples: "30s, 5m, 1h or 1d")
    }

    func run() throws {
        let root = URL(fileURLWithPath: archive)
        var config = SimulationConfig(stream: stream)
        config.series = series
        config.days = days
        config.cadenceMs = try parseDuration(cadence, option: "--cadence", examples: "30s, 5m, 1h or 1d").milliseconds
        config.seed = seed
        config.anomalyRate = anomalyRate
        config.start = try parseTime(start, option: "--start")
        let clock = ContinuousClock()
        let began = clock.now
        let progress = ProgressDisplay(json: json)
        defer { progress.close() }
        let done = try Simulator(config: config).simulate(into: root, progress: progress)
        let elapsed = clock.now - began
        let seconds = elapsed.inSeconds
        if json {
            try printJSON([
                "stream": stream, "rows": done.rows, "parts": done.parts, "anomalies": done.anomalies,
                "labels": done.labels.path, "seconds": seconds,
            ])
        } else {
            print(
                "simulated \(done.rows) events of \(series) series over \(days) days into \(done.parts) parts in "
                    + String(format: "%.2f s", seconds))
            print("\(done.anomalies) injected anomalies labelled in \(done.labels.path)")
        }
    }
}
