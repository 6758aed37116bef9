import Basics
import Foundation

extension Simulator {
    /// What `simulate(into:)` wrote.
    public struct ArchiveRun: Sendable {
        public var rows: Int
        public var parts: Int
        public var anomalies: Int
        /// The CSV that labels every injected anomaly (`<stream>/_labels/`), which backtests read.
        public var labels: URL
    }

    /// Registers the stream under `root`, writes the whole simulation into its archive, and
    /// labels the injected anomalies beside it. `progress` hears of the events generated and written
    /// (series × timestamps in all), then of the parts being finished.
    public func simulate(into root: URL, progress: (any ProgressReporter)? = nil) throws -> ArchiveRun {
        try StreamCatalog.register(spec: spec, root: root)
        let writer = try ArchiveWriter(root: root, spec: spec)
        progress?.start("simulating \(spec.stream)", total: config.series * steps, unit: .events)
        var generated = 0
        let anomalies = try run { batch in
            try writer.append(batch)
            generated += batch.count
            progress?.update(generated)
        }
        progress?.start("finishing the parts")
        let parts = try writer.close()
        progress?.finish()
        let labelsDir = root.appendingPathComponent(spec.stream).appendingPathComponent("_labels")
        try FileManager.default.createDirectory(at: labelsDir, withIntermediateDirectories: true)
        let labels = labelsDir.appendingPathComponent(
            "simulate-\(EventTime.format(config.start).prefix(10))-seed\(config.seed).csv")
        try Self.writeLabels(anomalies, to: labels)
        return ArchiveRun(rows: writer.rowsWritten, parts: parts.count, anomalies: anomalies.count, labels: labels)
    }
}
