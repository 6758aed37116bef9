import CQL
import NIOCore

/// Runs parsed statements against the node's state.
enum Executor {
    struct Outcome {
        var result: QueryResult
        var schemaChange: SchemaChange?
    }

    static func resolve(_ name: TableName, _ keyspace: String?) throws -> TableName {
        guard let ks = name.keyspace ?? keyspace else {
            throw InvalidRequest("No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename")
        }
        return TableName(keyspace: ks, table: name.table)
    }

    static func run(_ statement: Statement, binder: TermBinder, state: inout NodeState, keyspace: inout String?) throws -> Outcome {
        switch statement {
        case .use(let ks):
            guard state.keyspaces[ks] != nil else { throw InvalidRequest("Keyspace '\(ks)' does not exist") }
            keyspace = ks
            return Outcome(result: .setKeyspace(ks))
        case .createKeyspace(let name, let ine, let replication, let durable):
            guard try state.createKeyspace(name, replication: replication, durable: durable, ifNotExists: ine) else { return Outcome(result: .void) }
            return changed(SchemaChange(change: "CREATED", target: "KEYSPACE", keyspace: name))
        case .createTable(var def, let ine):
            if def.keyspace.isEmpty, let keyspace { def.keyspace = keyspace }
            guard try state.createTable(def, ifNotExists: ine) else { return Outcome(result: .void) }
            return changed(SchemaChange(change: "CREATED", target: "TABLE", keyspace: def.keyspace, name: def.name))
        case .dropKeyspace(let name, let ie):
            guard try state.dropKeyspace(name, ifExists: ie) else { return Outcome(result: .void) }
            return changed(SchemaChange(change: "DROPPED", target: "KEYSPACE", keyspace: name))
        case .dropTable(let name, let ie):
            let t = try resolve(name, keyspace)
            guard try state.dropTable(t, ifExists: ie) else { return Outcome(result: .void) }
            return changed(SchemaChange(change: "DROPPED", target: "TABLE", keyspace: t.keyspace ?? "", name: t.table))
        case .truncate(let name):
            let t = try resolve(name, keyspace)
            _ = try state.table(t)
            state.tables[t]?.partitions = [:]
            return Outcome(result: .void)
        case .insert(let name, let columns, let values):
            try insert(try resolve(name, keyspace), columns, values, binder, &state)
            return Outcome(result: .void)
        case .delete(let name, let relations):
            let t = try resolve(name, keyspace)
            let def = try state.table(t).def
            let bound = try relations.map { r -> (String, CQLValue) in
                guard r.op == .eq, let type = def.type(of: r.column), let term = r.terms.first else {
                    throw InvalidRequest("DELETE supports only equality on key columns")
                }
                return (r.column, try binder.value(term, as: type))
            }
            let value = { (c: String) in bound.first { $0.0 == c }?.1 }
            let pk = try def.partitionKey.map { c in
                guard let v = value(c) else { throw InvalidRequest("missing partition key column \(c)") }
                return v
            }
            state.tables[t]?.delete(partition: pk, clustering: Array(def.clustering.map(value).prefix { $0 != nil }.compactMap { $0 }))
            return Outcome(result: .void)
        case .select(let s):
            return Outcome(result: .rows(try select(s, binder: binder, state: state, keyspace: keyspace)))
        }
    }

    private static func changed(_ change: SchemaChange) -> Outcome {
        Outcome(result: .schemaChange(change), schemaChange: change)
    }

    static func insert(_ t: TableName, _ columns: [String], _ values: [Term], _ binder: TermBinder, _ state: inout NodeState) throws {
        guard let def = state.tables[t]?.def else { _ = try state.table(t); return }
        let row = try zip(columns, values).map { column, term -> (Int, CQLValue) in
            guard let i = def.index(of: column) else { throw InvalidRequest("undefined column name \(column)") }
            return (i, try binder.value(term, as: def.columns[i].type))
        }
        try state.tables[t]?.upsert(row)
    }

    static func selected(_ s: Select, _ def: TableDef) throws -> [(name: String, type: CQLType)] {
        switch s.selection {
        case .all: return def.selectOrder.compactMap { n in def.type(of: n).map { (n, $0) } }
        case .count: return [("count", .bigint)]
        case .columns(let names):
            return try names.map { n in
                guard let type = def.type(of: n) else { throw InvalidRequest("undefined column name \(n)") }
                return (n, type)
            }
        }
    }

    static func select(_ s: Select, binder: TermBinder, state: NodeState, keyspace: String?) throws -> Rows {
        let table = try state.table(try resolve(s.table, keyspace))
        let def = table.def
        var filters: [(Int, Relation.Op, [CQLValue])] = []
        for r in s.relations {
            guard let i = def.index(of: r.column) else { throw InvalidRequest("undefined column name \(r.column)") }
            filters.append((i, r.op, try r.terms.map { try binder.value($0, as: def.columns[i].type) }))
        }
        var keys: [[CQLValue]]? = [[]]
        for column in def.partitionKey {
            guard let i = def.index(of: column), let f = filters.first(where: { $0.0 == i && ($0.1 == .eq || $0.1 == .in) }) else {
                keys = nil
                break
            }
            keys = keys?.flatMap { prefix in f.2.map { prefix + [$0] } }
        }
        var limit = Int.max
        if let term = s.limit {
            guard case .int(let n) = try binder.value(term, as: .int), n > 0 else { throw InvalidRequest("LIMIT must be strictly positive") }
            limit = Int(n)
        }
        var rows: [[CQLValue]] = []
        for row in table.rows(partitionKeys: keys) where filters.allSatisfy({ matches(row[$0.0], $0.1, $0.2) }) {
            rows.append(row)
            if rows.count >= limit { break }
        }
        let columns = try selected(s, def)
        let specs = columns.map { ColumnSpec(keyspace: def.keyspace, table: def.name, name: $0.name, type: $0.type) }
        if case .count = s.selection { return Rows(columns: specs, rows: [[.bigint(Int64(rows.count))]]) }
        let indices = columns.compactMap { def.index(of: $0.name) }
        return Rows(columns: specs, rows: rows.map { row in indices.map { row[$0] } })
    }

    private static func matches(_ v: CQLValue, _ op: Relation.Op, _ terms: [CQLValue]) -> Bool {
        guard let t = terms.first else { return false }
        switch op {
        case .eq: return v == t
        case .in: return terms.contains(v)
        case .lt: return v != .null && v < t
        case .le: return v != .null && (v < t || v == t)
        case .gt: return v != .null && t < v
        case .ge: return v != .null && (t < v || v == t)
        }
    }
}
