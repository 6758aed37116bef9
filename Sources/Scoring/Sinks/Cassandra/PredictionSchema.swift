import CQL

/// The keyspace and tables predictions are written to. Every statement is idempotent
/// (IF NOT EXISTS), so `forewarn cassandra init` may run any number of times.
public enum PredictionSchema {
    public static func statements(keyspace: String, replication: [String: String]) -> [String] {
        let ks = CQLIdentifier.quote(keyspace)
        let map = replication.sorted { $0.key < $1.key }.map { "'\($0.key)': '\($0.value)'" }.joined(separator: ", ")
        return [
            "CREATE KEYSPACE IF NOT EXISTS \(ks) WITH replication = {\(map)} AND durable_writes = true",
            """
            CREATE TABLE IF NOT EXISTS \(ks).predictions (
                series text, day date, event_time timestamp, event_id text,
                stream text, model_name text, model_version int, score double, is_anomaly boolean,
                forecast double, lower double, upper double,
                PRIMARY KEY ((series, day), event_time, event_id, model_name)
            ) WITH CLUSTERING ORDER BY (event_time ASC, event_id ASC, model_name ASC)
            """,
            """
            CREATE TABLE IF NOT EXISTS \(ks).anomalies_by_day (
                stream text, day date, event_time timestamp, series text, event_id text,
                model_name text, model_version int, score double,
                forecast double, lower double, upper double,
                PRIMARY KEY ((stream, day), event_time, series, event_id, model_name)
            ) WITH CLUSTERING ORDER BY (event_time ASC, series ASC, event_id ASC, model_name ASC)
            """,
        ]
    }

    static func insertPrediction(keyspace: String) -> String {
        """
        INSERT INTO \(CQLIdentifier.quote(keyspace)).predictions (series, day, event_time, event_id, stream, model_name, \
        model_version, score, is_anomaly, forecast, lower, upper) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    }

    static func insertAnomaly(keyspace: String) -> String {
        """
        INSERT INTO \(CQLIdentifier.quote(keyspace)).anomalies_by_day (stream, day, event_time, series, event_id, model_name, \
        model_version, score, forecast, lower, upper) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    }
}
