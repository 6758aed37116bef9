import AnomalyModels
import EventArchive
import Foundation
import ModelKinds
import ModelRegistry

/// A fitted model's lineage and figures, as recorded in its file and in the registry.
public struct TrainedModel: Sendable {
    public var name: String
    public var kind: String
    public var stream: String
    public var archive: String
    public var window: (from: Int64?, to: Int64?)
    public var report: ReadReport
    public var rows: Int
    public var timeRange: (min: Int64, max: Int64)?
    public var fitSeconds: Double
    public var parameters: [String: String]
    public var metrics: [String: Double]
    /// The stream's time and key fields, so offline scoring of a forecast model knows its columns.
    public var timeField: String?
    public var keyField: String?
    /// How the stream's times read, when not the defaults (`StreamSpec.timeProvenance`).
    public var timeProvenance: [String: String] = [:]
    /// More provenance, as a sharded run's name.
    public var extraProvenance: [String: String] = [:]
    /// The stream fields the model reads, in its order (recorded as `fields`, comma-separated, which
    /// promotion compares).
    public var fields: [String]?

    public init(
        name: String, kind: String, stream: String, archive: String, window: (from: Int64?, to: Int64?), report: ReadReport,
        rows: Int, timeRange: (min: Int64, max: Int64)?, fitSeconds: Double, parameters: [String: String],
        metrics: [String: Double], timeField: String?, keyField: String?
    ) {
        self.name = name
        self.kind = kind
        self.stream = stream
        self.archive = archive
        self.window = window
        self.report = report
        self.rows = rows
        self.timeRange = timeRange
        self.fitSeconds = fitSeconds
        self.parameters = parameters
        self.metrics = metrics
        self.timeField = timeField
        self.keyField = keyField
    }

    /// String attributes stored in the model file itself, so a copied file still says where it came from.
    public var provenance: [String: String] {
        var p: [String: String] = [
            "name": name, "stream": stream, "archive": archive, "rows": "\(rows)", "model_kind": kind,
            "parts": "\(report.parts)", "created_at": EventTime.format(Int64(Date().timeIntervalSince1970 * 1000)),
            "forewarn_version": ForewarnVersion.string, "command": CommandLine.arguments.joined(separator: " "),
        ]
        if let timeRange {
            p["time_min"] = EventTime.format(timeRange.min)
            p["time_max"] = EventTime.format(timeRange.max)
        }
        if let timeField { p["time_field"] = timeField }
        if let keyField { p["key_field"] = keyField }
        if let fields { p[ModelShape.fieldsKey] = fields.joined(separator: ",") }
        if let from = window.from { p["window_from"] = EventTime.format(from) }
        if let to = window.to { p["window_to"] = EventTime.format(to) }
        p.merge(timeProvenance) { _, time in time }
        return p.merging(extraProvenance) { _, extra in extra }
    }

    /// Writes the model through `save` into a scratch file and registers it as the next version
    /// (through `staging` when the caller holds the lock of a sharded run). Unless `force`, the alias moves
    /// only onto a version of its target's shape; a refusal leaves the version registered and is returned.
    public func register(
        in registry: Registry, promoteTo alias: String?, reason: String?, report page: TrainingReport? = nil,
        staging: ShardRun? = nil, force: Bool = false, save: (String) throws -> Void
    ) throws -> RegisteredVersion {
        let scratch = NSTemporaryDirectory() + "forewarn-train-\(getpid())-\(UUID().uuidString)"
        defer {
            try? FileManager.default.removeItem(atPath: scratch + ".h5")
            try? FileManager.default.removeItem(atPath: scratch + ".html")
        }
        try save(scratch + ".h5")
        var r = ModelRegistration(name: name, modelFile: scratch + ".h5", forewarnVersion: ForewarnVersion.string)
        if let page {
            try page.write(to: scratch + ".html")
            r.reportFile = scratch + ".html"
        }
        r.parameters = parameters
        r.rowCount = rows
        r.metrics = metrics.filter { $0.value.isFinite }
        r.provenance = provenance
        let from = window.from ?? timeRange?.min ?? 0
        let to = window.to ?? (timeRange.map { $0.max + 1 } ?? 0)
        r.trainingWindow = TrainingWindow(from: EventTime.format(from), to: EventTime.format(to))
        let root = URL(fileURLWithPath: archive).standardizedFileURL.path
        r.partitions = try report.partRows.map { entry in
            let full = entry.part.standardizedFileURL.path
            let relative = full.hasPrefix(root + "/") ? String(full.dropFirst(root.count + 1)) : full
            return try PartitionDigest.of(part: relative, archiveRoot: root, rows: entry.rows)
        }
        do {
            let meta = try staging?.register(r, promoteTo: alias, reason: reason, force: force)
                ?? registry.register(r, promoteTo: alias, reason: reason, force: force)
            return RegisteredVersion(version: meta.version, promotedTo: alias, refusal: nil)
        } catch let refusal as RegistryError {
            guard case .registeredNotPromoted(_, let version, _, _, _) = refusal else { throw refusal }
            return RegisteredVersion(version: version, promotedTo: nil, refusal: refusal.description)
        }
    }

    /// The report's common part: lineage, parameters and metrics.
    public func report(title: String) -> TrainingReport {
        var report = TrainingReport(title: title)
        report.facts = [
            ("model", "\(name) (\(kind))"), ("stream", stream), ("archive", archive), ("rows", "\(rows) from \(self.report.parts) parts"),
            ("window", "\(window.from.map(EventTime.format) ?? "start") .. \(window.to.map(EventTime.format) ?? "end")"),
            ("created", EventTime.format(Int64(Date().timeIntervalSince1970 * 1000))), ("forewarn", ForewarnVersion.string),
        ]
        report.table("Parameters", ["parameter", "value"], parameters.sorted { $0.key < $1.key }.map { [$0.key, $0.value] })
        report.table(
            "Metrics", ["metric", "value"],
            metrics.sorted { $0.key < $1.key }.filter { $0.value.isFinite }.map { [$0.key, String(format: "%.4g", $0.value)] })
        return report
    }
}

/// The version a training run registered, and whether its alias moved.
public struct RegisteredVersion: Sendable {
    public var version: Int
    public var promotedTo: String?
    /// Why the alias was left where it was (another shape than its target), when it was.
    public var refusal: String?
}
