/// A deterministic generator of realistic smart-meter streams with labelled anomalies,
/// for demos, benchmarks and scoring detectors against known ground truth.
///
/// Every meter has a lognormal base load, a daily profile with morning and evening
/// peaks, a weekend profile, a slow trend and multiplicative noise; `voltage` sits
/// near 230 V and sags slightly under load. Injected anomalies (spikes, dips, level
/// shifts, voltage sags, dropouts) are returned by `run` as labels.
public struct Simulator: Sendable {
    public let config: SimulationConfig
    /// `key: meter, time: ts, fields: [kwh, voltage], id: reading_id`, named `config.stream`.
    public let spec: StreamSpec

    /// Unusable values are clamped rather than thrown on (series, days and cadence at
    /// least 1, the rate within 0...1) and an unsafe stream name has its bad characters
    /// replaced with `_`: callers such as the CLI validate their input first, and this
    /// keeps the initializer total.
    public init(config: SimulationConfig) {
        var c = config
        c.series = max(1, c.series)
        c.days = max(1, c.days)
        c.cadenceMs = max(1, c.cadenceMs)
        c.anomalyRate = c.anomalyRate.isFinite ? min(1, max(0, c.anomalyRate)) : 0
        c.start = min(max(c.start, EventTime.validRange.lowerBound), EventTime.validRange.upperBound)
        c.stream = Self.safeName(c.stream)
        self.config = c
        do {
            spec = try StreamSpec(
                stream: c.stream, time: "ts", fields: ["kwh", "voltage"], key: "meter", id: "reading_id")
        } catch {
            // Unreachable: `safeName` returns a name `StreamSpec.isSafeName` accepts, and the two
            // fields are distinct, slash-free and differ from ts, meter and reading_id, which is
            // everything `StreamSpec` validates.
            preconditionFailure("the simulator's fixed stream spec was rejected: \(error)")
        }
    }

    /// Timestamps per meter: the whole days at the cadence, cut at the last representable time.
    public var steps: Int {
        let wanted = Int64(config.days) * 86_400_000 / config.cadenceMs
        let room = (EventTime.validRange.upperBound - config.start) / config.cadenceMs + 1
        return Int(min(wanted, room))
    }

    /// Generates the data in time order, in batches of at most `batchRows` rows (all
    /// series for one timestamp before the next timestamp), and reports each injected anomaly.
    ///
    /// The rows do not depend on `batchRows`: it only decides where batches are cut.
    public func run(batchRows: Int = 65_536, _ body: (EventBatch) throws -> Void) rethrows -> [InjectedAnomaly] {
        let limit = max(1, batchRows)
        let width = max(4, String(config.series).count)
        var meters = (0..<config.series).map { MeterModel(index: $0, seed: config.seed, nameWidth: width) }
        var builder = EventBatchBuilder(fieldNames: spec.fields, withEventIDs: true)
        var labels: [InjectedAnomaly] = []
        var values = [0.0, 0.0]
        let cadenceHours = Double(config.cadenceMs) / 3_600_000
        let dropoutRate = config.anomalyRate / 20
        for step in 0..<steps {
            let at = SimulationInstant(time: config.start + Int64(step) * config.cadenceMs, start: config.start)
            let suffix = "-" + String(step)
            for m in meters.indices {
                guard
                    let r = meters[m].reading(
                        at: at, anomalyRate: config.anomalyRate, dropoutRate: dropoutRate,
                        cadenceHours: cadenceHours, labels: &labels)
                else { continue }
                values[0] = r.kwh
                values[1] = r.voltage
                builder.append(time: at.time, series: meters[m].name, values: values, eventID: meters[m].name + suffix)
                if builder.count >= limit { try body(builder.take()) }
            }
        }
        if builder.count > 0 { try body(builder.take()) }
        return labels
    }

    /// `name` with every character outside [A-Za-z0-9_.-] replaced by `_`, no leading
    /// dot, at most 128 characters, and `meters` if nothing is left.
    static func safeName(_ name: String) -> String {
        guard !StreamSpec.isSafeName(name) else { return name }
        var out = String(
            name.unicodeScalars.prefix(128).map { c -> Character in
                StreamSpec.isSafeName(String(c)) || c == "." ? Character(c) : "_"
            })
        if out.hasPrefix(".") { out = "_" + out.dropFirst() }
        return out.isEmpty ? "meters" : out
    }
}
