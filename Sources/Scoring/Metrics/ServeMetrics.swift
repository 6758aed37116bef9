import CoreMetrics
import Synchronization

/// The scorer's counters, gauges and latency histograms, updated once per batch (never per event).
///
/// Every update goes to a swift-metrics handler made by `factory`, a swift-prometheus collector that
/// `/metrics` emits (`render`), and to a small copy kept here for the scorer's own reads: readiness,
/// the console, the demo's summary, tests. Names, types and labels are `MetricCatalog`'s; labels come
/// as Prometheus writes them (`model="meters-if"`), which is also the key of a series here.
public final class ServeMetrics: Sendable {
    struct Values {
        var counters: [String: Double] = [:]
        var gauges: [String: Double] = [:]
        var histograms: [String: Histogram] = [:]
        /// Why the scorer is not ready, by condition (`ServeMetrics+Readiness.swift`).
        var problems: [String: ReadinessProblem] = [:]
        var handles = Handles()
    }

    /// The swift-metrics side of each series, by key.
    struct Handles {
        var counters: [String: FloatingPointCounter] = [:]
        var gauges: [String: Gauge] = [:]
        var timers: [String: CoreMetrics.Timer] = [:]
    }

    /// Cumulative buckets over `MetricCatalog.bounds`, for quantiles read in-process.
    struct Histogram {
        var counts = [Double](repeating: 0, count: MetricCatalog.bounds.count)
        var count = 0.0

        mutating func observe(_ seconds: Double, times n: Double) {
            for (k, bound) in MetricCatalog.bounds.enumerated() where seconds <= bound { counts[k] += n }
            count += n
        }
    }

    /// Makes the handlers; `forewarn serve` also bootstraps swift-metrics with it, so libraries' metrics
    /// land in the same exposition.
    public let factory: ScorerMetricsFactory
    let values = Mutex(Values())

    public init() {
        factory = ScorerMetricsFactory()
        // Unlabelled counters and histograms are exported from the start, at 0, as Prometheus expects.
        values.withLock { v in
            for (name, entry) in MetricCatalog.entries where entry.labels.isEmpty {
                switch entry.kind {
                case .counter: _ = counter(&v.handles, name, key: name, labels: "")
                case .histogram: _ = timer(&v.handles, name)
                case .gauge: break
                }
            }
        }
    }

    /// Adds to a counter; `labels` like `model="meters-if"`.
    public func add(_ name: String, _ amount: Double = 1, labels: String = "") {
        let key = Self.key(name, labels)
        values.withLock { v in
            v.counters[key, default: 0] += amount
            if amount > 0 { counter(&v.handles, name, key: key, labels: labels)?.increment(by: amount) }
        }
    }

    /// Sets a counter from a running total kept elsewhere (a client's own metrics). A total that went
    /// down is a new client: the export counts on from there and never decreases.
    public func setTotal(_ name: String, _ value: Double, labels: String = "") {
        let key = Self.key(name, labels)
        values.withLock { v in
            let before = v.counters[key] ?? 0
            v.counters[key] = value
            let added = value >= before ? value - before : value
            if added > 0 { counter(&v.handles, name, key: key, labels: labels)?.increment(by: added) }
        }
    }

    public func set(_ name: String, _ value: Double, labels: String = "") {
        values.withLock { v in Self.setGauge(&v, name, value, labels: labels, factory: factory) }
    }

    static func setGauge(_ v: inout Values, _ name: String, _ value: Double, labels: String = "", factory: ScorerMetricsFactory) {
        let key = key(name, labels)
        v.gauges[key] = value
        if v.handles.gauges[key] == nil, conforms(name, .gauge, labels: labels) {
            v.handles.gauges[key] = Gauge(label: name, dimensions: dimensions(labels), factory: factory)
        }
        v.handles.gauges[key]?.record(value)
    }

    /// Records `n` events that took `seconds` each (swift-metrics records one value a call).
    public func observe(_ name: String, seconds: Double, times n: Int = 1) {
        values.withLock { v in
            v.histograms[name, default: Histogram()].observe(seconds, times: Double(n))
            guard let t = timer(&v.handles, name) else { return }
            let nanoseconds = Int64((max(0, seconds) * 1e9).rounded())
            for _ in 0..<n { t.recordNanoseconds(nanoseconds) }
        }
    }

    public func counter(_ name: String, labels: String = "") -> Double {
        values.withLock { $0.counters[Self.key(name, labels)] ?? 0 }
    }

    public func gauge(_ name: String, labels: String = "") -> Double? {
        values.withLock { $0.gauges[Self.key(name, labels)] }
    }

    /// A gauge summed over all its label sets (the lag of every partition), 0 when it has none.
    public func sum(_ name: String) -> Double {
        values.withLock { v in v.gauges.reduce(0) { Self.base($1.key) == name ? $0 + $1.value : $0 } }
    }

    /// A counter summed over all its label sets (the anomalies of every model), 0 when it has none.
    public func total(_ name: String) -> Double {
        values.withLock { v in v.counters.reduce(0) { Self.base($1.key) == name ? $0 + $1.value : $0 } }
    }

    /// A quantile estimated from a histogram's buckets (the bucket's upper bound).
    public func quantile(_ name: String, _ q: Double) -> Double? {
        values.withLock { v -> Double? in
            guard let h = v.histograms[name], h.count > 0 else { return nil }
            for (k, c) in h.counts.enumerated() where c >= q * h.count { return MetricCatalog.bounds[k] }
            return .infinity
        }
    }

    /// Makes `factory` swift-metrics' process-wide one, so other libraries' metrics (the HTTP listener's
    /// request counts and durations) are in `/metrics` too. Once per process (swift-metrics refuses a
    /// second bootstrap): `forewarn serve` calls it; tests and benches, which run several, do not.
    public func bootstrapSwiftMetrics() { MetricsSystem.bootstrap(factory) }

    /// The Prometheus text exposition (version 0.0.4), as swift-prometheus writes it.
    public func render() -> String { factory.registry.emitToString() }

    private func counter(_ h: inout Handles, _ name: String, key: String, labels: String) -> FloatingPointCounter? {
        if let c = h.counters[key] { return c }
        guard Self.conforms(name, .counter, labels: labels) else { return nil }
        let c = FloatingPointCounter(label: name, dimensions: Self.dimensions(labels), factory: factory)
        h.counters[key] = c
        return c
    }

    private func timer(_ h: inout Handles, _ name: String) -> CoreMetrics.Timer? {
        if let t = h.timers[name] { return t }
        guard Self.conforms(name, .histogram, labels: "") else { return nil }
        let t = CoreMetrics.Timer(label: name, factory: factory)
        h.timers[name] = t
        return t
    }

    /// Whether `name` is in the catalogue as this kind with exactly these label names. A series that is
    /// not is kept for reads but not exported (swift-prometheus would stop the process on a family that
    /// mixes labelled and unlabelled series); debug builds, which the tests run, stop at once instead.
    static func conforms(_ name: String, _ kind: MetricCatalog.Kind, labels: String) -> Bool {
        let ok = MetricCatalog.entries[name].map { $0.kind == kind && $0.labels == dimensions(labels).map(\.0) } ?? false
        assert(ok, "\(name){\(labels)} is not a \(kind) of MetricCatalog with those labels")
        return ok
    }

    /// `model="m",alias="prod"` as pairs; values may hold `\"` and `\\`.
    static func dimensions(_ labels: String) -> [(String, String)] {
        var out: [(String, String)] = []
        var rest = Substring(labels)
        while let eq = rest.firstIndex(of: "=") {
            let name = String(rest[..<eq]).trimmingCharacters(in: [","])
            var value = "", escaped = false
            var i = rest.index(after: eq)
            if i < rest.endIndex, rest[i] == "\"" { i = rest.index(after: i) }
            while i < rest.endIndex {
                let c = rest[i]
                i = rest.index(after: i)
                if escaped { value.append(c == "n" ? "\n" : c); escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { break } else { value.append(c) }
            }
            out.append((name, value))
            rest = rest[i...]
        }
        return out
    }

    private static func key(_ name: String, _ labels: String) -> String { labels.isEmpty ? name : "\(name){\(labels)}" }
    private static func base(_ key: String) -> String { String(key.prefix { $0 != "{" }) }
}
