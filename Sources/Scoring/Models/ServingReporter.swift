import Foundation
import Logging
import ModelRegistry

/// Tells the registry, and `/metrics`, which version this scorer really serves next to the version its
/// alias names (`ServingRecord`): a refused promotion leaves the old version serving, and an operator looking
/// at the alias alone would think otherwise. Looks every `interval`, writes when something changed and at
/// least every `ServingRecord.heartbeat`; a failed write is logged and counted, never fatal.
struct ServingReporter: Sendable {
    let watcher: ModelWatcher
    let metrics: ServeMetrics
    let logger: Logger
    var instance = ServingRecord.thisInstance
    var interval: Duration = .seconds(2)

    func run() async {
        var last: [String: ServingRecord] = [:]
        let clock = ContinuousClock()
        var written = clock.now
        while !Task.isCancelled {
            let due = clock.now - written >= ServingRecord.heartbeat
            report(&last, all: due)
            if due { written = clock.now }
            try? await Task.sleep(for: interval)
        }
    }

    /// One look: writes the records that changed since `last` (every record with `all`).
    func report(_ last: inout [String: ServingRecord], all: Bool) {
        for record in look() where all || !Self.same(last[record.name], record.record) {
            write(record.name, record.record)
            last[record.name] = record.record
        }
    }

    /// Removes this scorer's records (a clean stop).
    func remove() {
        for entry in watcher.current.entries { watcher.registry.removeServing(name: entry.ref.name, instance: instance) }
    }

    private func look() -> [(name: String, record: ServingRecord)] {
        watcher.current.entries.map { entry in
            let aliasVersion = try? watcher.registry.resolve(name: entry.ref.name, alias: entry.ref.alias).version
            let labels = "model=\"\(entry.ref.name)\",alias=\"\(entry.ref.alias)\""
            metrics.set("forewarn_model_alias_version", Double(aliasVersion ?? 0), labels: labels)
            return (entry.ref.name, ServingRecord(instance: instance, alias: entry.ref.alias, version: entry.model.version, aliasVersion: aliasVersion))
        }
    }

    private func write(_ name: String, _ record: ServingRecord) {
        do { try watcher.registry.recordServing(name: name, record) } catch {
            metrics.add("forewarn_serving_record_errors_total")
            logger.warning("could not record the served version in the registry", metadata: ["model": "\(name)", "error": "\(error)"])
        }
    }

    private static func same(_ a: ServingRecord?, _ b: ServingRecord) -> Bool {
        a?.version == b.version && a?.aliasVersion == b.aliasVersion && a?.alias == b.alias
    }
}
