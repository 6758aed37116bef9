import Basics
import CQL
import Foundation

/// The system tables drivers read on connect (system.local, system.peers) and to learn the
/// schema (system_schema.*), defined in CQL and filled from the node's own definitions.
enum SystemTables {
    static let definitions = [
        """
        CREATE TABLE system.local (key text PRIMARY KEY, bootstrapped text, broadcast_address inet, cluster_name text,
        cql_version text, data_center text, gossip_generation int, host_id uuid, listen_address inet,
        native_protocol_version text, partitioner text, rack text, release_version text, rpc_address inet,
        schema_version uuid, tokens set<text>, truncated_at map<uuid, blob>)
        """,
        """
        CREATE TABLE system.peers (peer inet PRIMARY KEY, data_center text, host_id uuid, preferred_ip inet, rack text,
        release_version text, rpc_address inet, schema_version uuid, tokens set<text>)
        """,
        "CREATE TABLE system_schema.keyspaces (keyspace_name text PRIMARY KEY, durable_writes boolean, replication map<text, text>)",
        """
        CREATE TABLE system_schema.tables (keyspace_name text, table_name text, bloom_filter_fp_chance double,
        caching map<text, text>, cdc boolean, comment text, compaction map<text, text>, compression map<text, text>,
        crc_check_chance double, dclocal_read_repair_chance double, default_time_to_live int, extensions map<text, blob>,
        flags set<text>, gc_grace_seconds int, id uuid, max_index_interval int, memtable_flush_period_in_ms int,
        min_index_interval int, read_repair_chance double, speculative_retry text, PRIMARY KEY (keyspace_name, table_name))
        """,
        """
        CREATE TABLE system_schema.columns (keyspace_name text, table_name text, column_name text, clustering_order text,
        column_name_bytes blob, kind text, position int, type text, PRIMARY KEY (keyspace_name, table_name, column_name))
        """,
        """
        CREATE TABLE system_schema.types (keyspace_name text, type_name text, field_names list<text>, field_types list<text>,
        PRIMARY KEY (keyspace_name, type_name))
        """,
        """
        CREATE TABLE system_schema.functions (keyspace_name text, function_name text, argument_types list<text>,
        argument_names list<text>, body text, called_on_null_input boolean, language text, return_type text,
        PRIMARY KEY (keyspace_name, function_name, argument_types))
        """,
        """
        CREATE TABLE system_schema.aggregates (keyspace_name text, aggregate_name text, argument_types list<text>,
        final_func text, initcond text, return_type text, state_func text, state_type text,
        PRIMARY KEY (keyspace_name, aggregate_name, argument_types))
        """,
        """
        CREATE TABLE system_schema.triggers (keyspace_name text, table_name text, trigger_name text, options map<text, text>,
        PRIMARY KEY (keyspace_name, table_name, trigger_name))
        """,
        """
        CREATE TABLE system_schema.indexes (keyspace_name text, table_name text, index_name text, kind text,
        options map<text, text>, PRIMARY KEY (keyspace_name, table_name, index_name))
        """,
        """
        CREATE TABLE system_schema.views (keyspace_name text, view_name text, base_table_id uuid, base_table_name text,
        bloom_filter_fp_chance double, caching map<text, text>, comment text, compaction map<text, text>,
        compression map<text, text>, crc_check_chance double, dclocal_read_repair_chance double, default_time_to_live int,
        extensions map<text, blob>, gc_grace_seconds int, id uuid, include_all_columns boolean, max_index_interval int,
        memtable_flush_period_in_ms int, min_index_interval int, read_repair_chance double, speculative_retry text,
        where_clause text, PRIMARY KEY (keyspace_name, view_name))
        """,
    ]

    static let hostID = UUID(uuidString: "6f1e0b8a-4a9e-4d1c-9a3b-2c7d5e8f0a11") ?? UUID()

    /// A state holding the system keyspaces and their tables.
    static func initialState(clusterName: String) throws -> NodeState {
        var state = NodeState()
        for ks in ["system", "system_schema"] {
            state.keyspaces[ks] = .init(replication: ["class": "org.apache.cassandra.locator.LocalStrategy"], durableWrites: true)
        }
        for cql in definitions {
            guard case .createTable(let def, _) = try Parser.parse(cql, keyspace: nil).0 else { continue }
            state.tables[TableName(keyspace: def.keyspace, table: def.name)] = TableData(def: def)
        }
        state.clusterName = clusterName
        state.schemaChanged()
        return state
    }

    static func refresh(_ state: inout NodeState) {
        let text = { (s: String) in CQLValue.text(s) }
        let localhost = CQLValue.blob([127, 0, 0, 1])
        state.replaceRows(of: TableName(keyspace: "system", table: "local"), with: [[
            "key": text("local"), "bootstrapped": text("COMPLETED"), "broadcast_address": localhost,
            "cluster_name": text(state.clusterName), "cql_version": text("3.4.4"), "data_center": text("datacenter1"),
            "gossip_generation": .int(1), "host_id": .uuid(hostID), "listen_address": localhost,
            "native_protocol_version": text("4"), "partitioner": text("org.apache.cassandra.dht.Murmur3Partitioner"),
            "rack": text("rack1"), "release_version": text("3.11.16"), "rpc_address": localhost,
            "schema_version": .uuid(state.schemaVersion), "tokens": .list([text("0")]),
        ]])
        let keyspaces = state.keyspaces.map { name, ks in
            ["keyspace_name": text(name), "durable_writes": .boolean(ks.durableWrites),
                "replication": .map(ks.replication.sorted { $0.key < $1.key }.map { .init(text($0.key), text($0.value)) })]
        }
        state.replaceRows(of: TableName(keyspace: "system_schema", table: "keyspaces"), with: keyspaces)
        var tables: [[String: CQLValue]] = []
        var columns: [[String: CQLValue]] = []
        for (name, data) in state.tables {
            guard let ks = name.keyspace else { continue }
            tables.append(tableRow(ks, name.table))
            for column in data.def.columns {
                let def = data.def
                let kind: String, position: Int32
                if let p = def.partitionKey.firstIndex(of: column.name) {
                    kind = "partition_key"; position = Int32(p)
                } else if let c = def.clustering.firstIndex(of: column.name) {
                    kind = "clustering"; position = Int32(c)
                } else {
                    kind = "regular"; position = -1
                }
                let order = kind == "clustering" ? (def.descending.contains(column.name) ? "desc" : "asc") : "none"
                columns.append([
                    "keyspace_name": text(ks), "table_name": text(name.table), "column_name": text(column.name),
                    "clustering_order": text(order), "column_name_bytes": .blob(Array(column.name.utf8)), "kind": text(kind),
                    "position": .int(position), "type": text(column.type.description),
                ])
            }
        }
        state.replaceRows(of: TableName(keyspace: "system_schema", table: "tables"), with: tables)
        state.replaceRows(of: TableName(keyspace: "system_schema", table: "columns"), with: columns)
    }

    private static func tableRow(_ ks: String, _ table: String) -> [String: CQLValue] {
        let text = { (s: String) in CQLValue.text(s) }
        let emptyMap = CQLValue.map([])
        return [
            "keyspace_name": text(ks), "table_name": text(table), "bloom_filter_fp_chance": .double(0.01),
            "caching": .map([.init(text("keys"), text("ALL")), .init(text("rows_per_partition"), text("NONE"))]),
            "cdc": .null, "comment": text(""),
            "compaction": .map([.init(text("class"), text("org.apache.cassandra.db.compaction.SizeTieredCompactionStrategy"))]),
            "compression": emptyMap, "crc_check_chance": .double(1), "dclocal_read_repair_chance": .double(0.1),
            "default_time_to_live": .int(0), "extensions": emptyMap, "flags": .list([text("compound")]),
            "gc_grace_seconds": .int(864000), "id": .uuid(stableUUID(ks + "." + table)), "max_index_interval": .int(2048),
            "memtable_flush_period_in_ms": .int(0), "min_index_interval": .int(128), "read_repair_chance": .double(0),
            "speculative_retry": text("99PERCENTILE"),
        ]
    }

    static func stableUUID(_ s: String) -> UUID {
        let a = FNV1a.hash64(s), b = FNV1a.hash64(s, seed: 0x8422_2325_cbf2_9ce4)
        let bytes = withUnsafeBytes(of: a.bigEndian) { Array($0) } + withUnsafeBytes(of: b.bigEndian) { Array($0) }
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9],
            bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}

extension NodeState {
    /// Empties a system table and fills it with rows given by column name.
    mutating func replaceRows(of name: TableName, with rows: [[String: CQLValue]]) {
        guard var data = tables[name] else { return }
        data.partitions = [:]
        for row in rows {
            let values = row.compactMap { k, v in data.def.index(of: k).map { ($0, v) } }
            try? data.upsert(values)
        }
        tables[name] = data
    }
}
