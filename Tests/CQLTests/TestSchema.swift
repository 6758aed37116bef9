/// The tables the client tests write to: the scorer's prediction tables
/// (Scoring's `PredictionSchema`), copied here so the protocol client's tests
/// need nothing above `CQL`.
enum TestSchema {
    static func statements(keyspace: String = "forewarn") -> [String] {
        [
            "CREATE KEYSPACE IF NOT EXISTS \"\(keyspace)\" WITH replication = {'class': 'SimpleStrategy', 'replication_factor': '1'} AND durable_writes = true",
            """
            CREATE TABLE IF NOT EXISTS "\(keyspace)".predictions (
                series text, day date, event_time timestamp, event_id text,
                stream text, model_name text, model_version int, score double, is_anomaly boolean,
                forecast double, lower double, upper double,
                PRIMARY KEY ((series, day), event_time, event_id, model_name)
            ) WITH CLUSTERING ORDER BY (event_time ASC, event_id ASC, model_name ASC)
            """,
            """
            CREATE TABLE IF NOT EXISTS "\(keyspace)".anomalies_by_day (
                stream text, day date, event_time timestamp, series text, event_id text,
                model_name text, model_version int, score double,
                forecast double, lower double, upper double,
                PRIMARY KEY ((stream, day), event_time, series, event_id, model_name)
            ) WITH CLUSTERING ORDER BY (event_time ASC, series ASC, event_id ASC, model_name ASC)
            """,
        ]
    }
}
