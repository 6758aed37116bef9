/// Every metric the scorer exports: its name, Prometheus type, label names and help text.
///
/// The one list of names, so the exposition, docs/operations.md and the Grafana dashboard agree. A
/// name is labelled or not, never both (Prometheus families may not mix, and swift-prometheus stops
/// the process when they do), so the labels are part of the entry.
enum MetricCatalog {
    enum Kind: String, Sendable {
        case counter, gauge, histogram
    }

    struct Entry: Sendable {
        var kind: Kind
        var labels: [String]
        var help: String
    }

    /// Bucket bounds of every histogram, in seconds.
    static let bounds: [Double] = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5]

    static let entries: [String: Entry] = [
        "forewarn_events_in_total": .init(kind: .counter, labels: [], help: "Events consumed from Kafka"),
        "forewarn_predictions_out_total": .init(kind: .counter, labels: ["model"], help: "Predictions produced, one per event and model"),
        "forewarn_anomalies_total": .init(kind: .counter, labels: ["model"], help: "Predictions flagged as anomalies"),
        "forewarn_dead_letters_total": .init(kind: .counter, labels: [], help: "Events sent to the dead-letter topic"),
        "forewarn_dead_letters_truncated_total": .init(
            kind: .counter, labels: [], help: "Dead letters cut to fit the producer's or the broker's message size limit"),
        "forewarn_batches_total": .init(kind: .counter, labels: [], help: "Batches scored"),
        "forewarn_model_reloads_total": .init(
            kind: .counter, labels: ["model"], help: "Model versions swapped in after a promotion or rollback"),
        "forewarn_model_reloads_refused_total": .init(
            kind: .counter, labels: ["model"], help: "Promoted versions that failed to load or did not fit the stream"),
        "forewarn_sink_errors_total": .init(
            kind: .counter, labels: ["sink"], help: "Failed sink write attempts, every retry counted (consumption pauses meanwhile)"),
        "forewarn_warmup_problems_total": .init(
            kind: .counter, labels: [],
            help: "Archive parts a fresh model state could not warm up on (damaged, or without a field); it warmed on the rest"),
        "forewarn_commits_total": .init(kind: .counter, labels: [], help: "Offset commits"),
        "forewarn_input_events_skipped_total": .init(
            kind: .counter, labels: ["topic", "partition"], help: "Input events deleted before they were read, as far as offset resets tell"),
        "forewarn_input_offset_resets_total": .init(
            kind: .counter, labels: ["topic", "partition"],
            help: "Input partitions whose position auto.offset.reset moved after offset out of range (events lost)"),
        "forewarn_cassandra_rows_total": .init(
            kind: .counter, labels: [], help: "Rows acknowledged by Cassandra (predictions and anomalies tables)"),
        "forewarn_cassandra_batches_total": .init(kind: .counter, labels: [], help: "Unlogged batches acknowledged by Cassandra"),
        "forewarn_cassandra_retries_total": .init(
            kind: .counter, labels: [], help: "Cassandra requests retried (timeouts, overload, unavailable, lost connections)"),
        "forewarn_cassandra_errors_total": .init(kind: .counter, labels: [], help: "Cassandra request failures, retried or not"),
        "forewarn_cassandra_write_seconds_sum": .init(kind: .counter, labels: [], help: "Total seconds of Cassandra batch writes"),
        "forewarn_cassandra_write_seconds_max": .init(kind: .gauge, labels: [], help: "Slowest Cassandra batch write so far"),
        "forewarn_consumer_lag": .init(kind: .gauge, labels: ["topic", "partition"], help: "Messages behind the partition's high watermark"),
        "forewarn_model_version": .init(kind: .gauge, labels: ["model"], help: "Version of each model in use"),
        "forewarn_model_alias_version": .init(
            kind: .gauge, labels: ["model", "alias"], help: "Version the model's alias names, as the scorer last looked"),
        "forewarn_archive_duplicates_skipped_total": .init(
            kind: .counter, labels: ["stream"], help: "Events the archive sink skipped because their id was archived already (a replay)"),
        "forewarn_serving_record_errors_total": .init(
            kind: .counter, labels: [], help: "Failed writes of the scorer's serving record into the registry"),
        "forewarn_ready": .init(
            kind: .gauge, labels: [], help: "1 while models are loaded, partitions assigned, brokers reachable and no sink failing"),
        "forewarn_batch_seconds": .init(kind: .histogram, labels: [], help: "Time from a batch's poll to its offsets' commit"),
        "forewarn_event_latency_seconds": .init(
            kind: .histogram, labels: [], help: "Time from an event's Kafka timestamp to its prediction's delivery"),
    ]
}
