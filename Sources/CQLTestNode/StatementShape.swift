import CQL

/// What a statement binds and returns, worked out against the current schema.
struct StatementShape {
    var bindColumns: [ColumnSpec] = []
    var pkIndices: [UInt16] = []
    var resultColumns: [ColumnSpec] = []

    init(_ statement: Statement, markers: Int, state: NodeState, keyspace: String?) throws {
        var columns = [ColumnSpec?](repeating: nil, count: markers)
        func bind(_ term: Term, _ spec: ColumnSpec) throws {
            switch term {
            case .marker(let n): columns[n] = spec
            case .list(let items), .set(let items):
                if items.contains(where: { if case .marker = $0 { true } else { false } }) {
                    throw InvalidRequest("bind markers inside collection literals are not supported")
                }
            default: break
            }
        }
        switch statement {
        case .insert(let name, let names, let values):
            let def = try state.table(try Executor.resolve(name, keyspace)).def
            for (column, term) in zip(names, values) {
                guard let type = def.type(of: column) else { throw InvalidRequest("undefined column name \(column)") }
                try bind(term, ColumnSpec(keyspace: def.keyspace, table: def.name, name: column, type: type))
            }
            pkIndices = def.partitionKey.compactMap { key in
                guard let i = names.firstIndex(of: key), case .marker(let n) = values[i] else { return nil }
                return UInt16(n)
            }
            if pkIndices.count != def.partitionKey.count { pkIndices = [] }
        case .select(let s):
            let def = try state.table(try Executor.resolve(s.table, keyspace)).def
            for r in s.relations {
                guard let type = def.type(of: r.column) else { throw InvalidRequest("undefined column name \(r.column)") }
                for t in r.terms { try bind(t, ColumnSpec(keyspace: def.keyspace, table: def.name, name: r.column, type: type)) }
            }
            if let limit = s.limit { try bind(limit, ColumnSpec(keyspace: def.keyspace, table: def.name, name: "[limit]", type: .int)) }
            resultColumns = try Executor.selected(s, def).map {
                ColumnSpec(keyspace: def.keyspace, table: def.name, name: $0.name, type: $0.type)
            }
        case .delete(let name, let relations):
            let def = try state.table(try Executor.resolve(name, keyspace)).def
            for r in relations {
                guard let type = def.type(of: r.column) else { throw InvalidRequest("undefined column name \(r.column)") }
                for t in r.terms { try bind(t, ColumnSpec(keyspace: def.keyspace, table: def.name, name: r.column, type: type)) }
            }
        default:
            if markers > 0 { throw InvalidRequest("bind markers are not supported in this statement") }
        }
        bindColumns = try columns.enumerated().map { n, c in
            guard let c else { throw InvalidRequest("bind marker \(n) is in a position the test node cannot type") }
            return c
        }
    }
}
