/// What the DataStax Python driver does against the test node in `PythonDriverTests`. It reads
/// the node's address and the schema statements from argv and prints one JSON object.
enum PythonDriverScript {
    static let source = #"""
    import datetime, json, sys
    from cassandra import InvalidRequest
    from cassandra.cluster import Cluster
    from cassandra.policies import DCAwareRoundRobinPolicy
    from cassandra.protocol import SyntaxException

    host, port, statements = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
    cluster = Cluster([host], port=port, load_balancing_policy=DCAwareRoundRobinPolicy(local_dc="datacenter1"))
    session = cluster.connect()
    out = {"protocol_version": cluster.protocol_version, "cluster_name": cluster.metadata.cluster_name}
    for s in statements:
        session.execute(s)
    session.set_keyspace("forewarn")
    table = cluster.metadata.keyspaces["forewarn"].tables["predictions"]
    out["partition_key"] = [c.name for c in table.partition_key]
    out["clustering_key"] = [c.name for c in table.clustering_key]
    out["column_types"] = {c.name: c.cql_type for c in table.columns.values()}
    out["replication"] = cluster.metadata.keyspaces["forewarn"].replication_strategy.export_for_schema()

    insert = session.prepare("INSERT INTO predictions (series, day, event_time, event_id, stream, model_name, model_version, "
                             "score, is_anomaly, forecast, lower, upper) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
    day = datetime.date(2026, 1, 2)
    for i in range(5):
        t = datetime.datetime(2026, 1, 2, 0, i, tzinfo=datetime.timezone.utc)
        session.execute(insert, ("py", day, t, "py-%d" % i, "meters", "meters-if", 2, i / 10.0, i == 3, None, None, None))
    session.execute("INSERT INTO predictions (series, day, event_time, event_id, model_name, score, is_anomaly) "
                    "VALUES ('py', '2026-01-02', '2026-01-02T00:09:00Z', 'py-9', 'meters-if', 0.9, true)")
    session.execute("INSERT INTO predictions (series, day, event_time, event_id, model_name, score) VALUES (%s, %s, %s, %s, %s, %s)",
                    ("py", day, datetime.datetime(2026, 1, 2, 0, 0, tzinfo=datetime.timezone.utc), "py-0", "meters-if", 0.5))
    rows = session.execute("SELECT event_id, score, is_anomaly FROM predictions WHERE series = %s AND day = %s", ("py", day))
    out["py_rows"] = [[r.event_id, r.score, r.is_anomaly] for r in rows]
    ranged = session.prepare("SELECT event_id FROM predictions WHERE series = ? AND day = ? AND event_time >= ? AND event_time < ? LIMIT ?")
    out["py_range"] = [r.event_id for r in session.execute(ranged, ("py", day, datetime.datetime(2026, 1, 2, 0, 2),
                                                                    datetime.datetime(2026, 1, 2, 0, 10), 3))]
    out["swift_rows"] = [[r.event_id, r.model_name, r.model_version, r.forecast, str(r.event_time)] for r in
                         session.execute("SELECT * FROM predictions WHERE series = 'swift' AND day = '2026-01-01'")]
    out["swift_count"] = session.execute("SELECT count(*) FROM predictions WHERE series = 'swift' AND day = '2026-01-01'").one()[0]
    errors = []
    try:
        session.execute("SELEKT nonsense")
    except SyntaxException:
        errors.append("syntax")
    try:
        session.execute("SELECT * FROM no_such_table")
    except InvalidRequest:
        errors.append("invalid")
    out["errors"] = errors
    cluster.shutdown()
    print(json.dumps(out))
    """#

    /// Connects with PlainTextAuthProvider; prints system.local's key, or the failure's kind.
    static let auth = #"""
    import sys
    from cassandra.auth import PlainTextAuthProvider
    from cassandra.cluster import Cluster, NoHostAvailable
    from cassandra.policies import DCAwareRoundRobinPolicy

    host, port, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    cluster = Cluster([host], port=port, protocol_version=4, auth_provider=PlainTextAuthProvider(user, password),
                      load_balancing_policy=DCAwareRoundRobinPolicy(local_dc="datacenter1"))
    try:
        print(cluster.connect().execute("SELECT key FROM system.local").one().key)
    except NoHostAvailable as e:
        print(" ".join(type(v).__name__ for v in e.errors.values()))
    cluster.shutdown()
    """#
}
