import CQL

/// A table's rows: partitions by partition key, rows by clustering key; each row holds one
/// value per column, in the order of the table definition.
struct TableData: Sendable {
    var def: TableDef
    var partitions: [[CQLValue]: [[CQLValue]: [CQLValue]]] = [:]

    init(def: TableDef) { self.def = def }

    /// Writes the given columns of one row, leaving its other columns as they were (an upsert).
    mutating func upsert(_ values: [(Int, CQLValue)]) throws {
        var row = [CQLValue](repeating: .null, count: def.columns.count)
        for (i, v) in values { row[i] = v }
        let pk = try def.partitionKey.map { try key(row, $0) }
        let ck = try def.clustering.map { try key(row, $0) }
        if var existing = partitions[pk]?[ck] {
            for (i, v) in values { existing[i] = v }
            row = existing
        }
        partitions[pk, default: [:]][ck] = row
    }

    private func key(_ row: [CQLValue], _ column: String) throws -> CQLValue {
        guard let i = def.index(of: column) else { throw InvalidRequest("unknown column \(column)") }
        guard row[i] != .null else { throw InvalidRequest("missing value for primary key column \(column)") }
        return row[i]
    }

    /// Rows in partition-key order, then clustering order.
    func rows(partitionKeys: [[CQLValue]]?) -> [[CQLValue]] {
        let keys = partitionKeys ?? partitions.keys.sorted { $0.lexicographicallyPrecedes($1) }
        var out: [[CQLValue]] = []
        for pk in keys {
            guard let partition = partitions[pk] else { continue }
            let sorted = partition.keys.sorted { a, b in
                for (n, (x, y)) in zip(a, b).enumerated() where x != y {
                    return def.descending.contains(def.clustering[n]) ? y < x : x < y
                }
                return false
            }
            for ck in sorted { if let row = partition[ck] { out.append(row) } }
        }
        return out
    }

    mutating func delete(partition pk: [CQLValue], clustering prefix: [CQLValue]) {
        guard !prefix.isEmpty else { partitions[pk] = nil; return }
        partitions[pk] = partitions[pk]?.filter { !$0.key.starts(with: prefix) }
    }

    var rowCount: Int { partitions.values.reduce(0) { $0 + $1.count } }
}
