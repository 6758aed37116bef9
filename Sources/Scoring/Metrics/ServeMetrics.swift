import Synchronization

/// The scorer's counters, gauges and latency histograms, updated once per
/// batch (never per event) and rendered in the Prometheus text format.
public final class ServeMetrics: Sendable {
    struct Values {
        var counters: [String: Double] = [:]
        var gauges: [String: Double] = [:]
        var histograms: [String: Histogram] = [:]
        /// Why the scorer is not ready, by condition (`ServeMetrics+Readiness.swift`).
        var problems: [String: ReadinessProblem] = [:]
    }

    /// Cumulative buckets, in seconds.
    struct Histogram {
        static let bounds: [Double] = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5]
        var counts = [Double](repeating: 0, count: bounds.count)
        var sum = 0.0
        var count = 0.0

        mutating func observe(_ seconds: Double, times n: Double) {
            for (k, bound) in Self.bounds.enumerated() where seconds <= bound { counts[k] += n }
            sum += seconds * n
            count += n
        }
    }

    /// Help text of every metric, which also fixes the set of names.
    static let help: [String: (type: String, text: String)] = [
        "forewarn_events_in_total": ("counter", "Events consumed from Kafka"),
        "forewarn_predictions_out_total": ("counter", "Predictions produced, one per event and model"),
        "forewarn_anomalies_total": ("counter", "Predictions flagged as anomalies"),
        "forewarn_dead_letters_total": ("counter", "Events sent to the dead-letter topic"),
        "forewarn_dead_letters_truncated_total": ("counter", "Dead letters cut to fit the producer's or the broker's message size limit"),
        "forewarn_batches_total": ("counter", "Batches scored"),
        "forewarn_model_reloads_total": ("counter", "Model versions swapped in after a promotion or rollback"),
        "forewarn_model_reloads_refused_total": ("counter", "Promoted versions that failed to load or did not fit the stream"),
        "forewarn_sink_errors_total": ("counter", "Failed sink write attempts, every retry counted (consumption pauses meanwhile)"),
        "forewarn_warmup_problems_total": ("counter", "Archive parts a fresh model state could not warm up on (damaged, or without a field); it warmed on the rest"),
        "forewarn_commits_total": ("counter", "Offset commits"),
        "forewarn_input_events_skipped_total": ("counter", "Input events deleted before they were read, as far as offset resets tell"),
        "forewarn_input_offset_resets_total": ("counter", "Input partitions whose position auto.offset.reset moved after offset out of range (events lost)"),
        "forewarn_cassandra_rows_total": ("counter", "Rows acknowledged by Cassandra (predictions and anomalies tables)"),
        "forewarn_cassandra_batches_total": ("counter", "Unlogged batches acknowledged by Cassandra"),
        "forewarn_cassandra_retries_total": ("counter", "Cassandra requests retried (timeouts, overload, unavailable, lost connections)"),
        "forewarn_cassandra_errors_total": ("counter", "Cassandra request failures, retried or not"),
        "forewarn_cassandra_write_seconds_sum": ("counter", "Total seconds of Cassandra batch writes"),
        "forewarn_cassandra_write_seconds_max": ("gauge", "Slowest Cassandra batch write so far"),
        "forewarn_consumer_lag": ("gauge", "Messages behind the partition's high watermark"),
        "forewarn_model_version": ("gauge", "Version of each model in use"),
        "forewarn_model_alias_version": ("gauge", "Version the model's alias names, as the scorer last looked"),
        "forewarn_archive_duplicates_skipped_total": ("counter", "Events the archive sink skipped because their id was archived already (a replay)"),
        "forewarn_serving_record_errors_total": ("counter", "Failed writes of the scorer's serving record into the registry"),
        "forewarn_ready": ("gauge", "1 while models are loaded, partitions assigned, brokers reachable and no sink failing"),
        "forewarn_batch_seconds": ("histogram", "Time from a batch's poll to its offsets' commit"),
        "forewarn_event_latency_seconds": ("histogram", "Time from an event's Kafka timestamp to its prediction's delivery"),
    ]

    let values = Mutex(Values())

    public init() {}

    /// Adds to a counter; `labels` like `model="meters-if"`.
    public func add(_ name: String, _ amount: Double = 1, labels: String = "") {
        values.withLock { $0.counters[Self.key(name, labels), default: 0] += amount }
    }

    /// Sets a counter from a running total kept elsewhere (a client's own metrics).
    public func setTotal(_ name: String, _ value: Double, labels: String = "") {
        values.withLock { $0.counters[Self.key(name, labels)] = value }
    }

    public func set(_ name: String, _ value: Double, labels: String = "") {
        values.withLock { $0.gauges[Self.key(name, labels)] = value }
    }

    public func observe(_ name: String, seconds: Double, times n: Int = 1) {
        values.withLock { $0.histograms[name, default: Histogram()].observe(seconds, times: Double(n)) }
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
            for (k, c) in h.counts.enumerated() where c >= q * h.count { return Histogram.bounds[k] }
            return .infinity
        }
    }

    /// The Prometheus text exposition (version 0.0.4).
    public func render() -> String {
        let v = values.withLock { $0 }
        var out = ""
        for (name, meta) in Self.help.sorted(by: { $0.key < $1.key }) {
            out += "# HELP \(name) \(meta.text)\n# TYPE \(name) \(meta.type)\n"
            switch meta.type {
            case "histogram":
                let h = v.histograms[name] ?? Histogram()
                for (k, bound) in Histogram.bounds.enumerated() { out += "\(name)_bucket{le=\"\(bound)\"} \(h.counts[k])\n" }
                out += "\(name)_bucket{le=\"+Inf\"} \(h.count)\n\(name)_sum \(h.sum)\n\(name)_count \(h.count)\n"
            default:
                let series = (meta.type == "counter" ? v.counters : v.gauges).filter { Self.base($0.key) == name }
                if series.isEmpty, meta.type == "counter" { out += "\(name) 0\n" }
                for (key, value) in series.sorted(by: { $0.key < $1.key }) { out += "\(key) \(value)\n" }
            }
        }
        return out
    }

    private static func key(_ name: String, _ labels: String) -> String { labels.isEmpty ? name : "\(name){\(labels)}" }
    private static func base(_ key: String) -> String { String(key.prefix { $0 != "{" }) }
}
