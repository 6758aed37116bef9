import CQL

/// A parsed statement. Names are normalised: unquoted ones lower-cased.
enum Statement: Sendable {
    case createKeyspace(name: String, ifNotExists: Bool, replication: [String: String], durableWrites: Bool)
    case createTable(TableDef, ifNotExists: Bool)
    case dropKeyspace(name: String, ifExists: Bool)
    case dropTable(TableName, ifExists: Bool)
    case truncate(TableName)
    case use(String)
    case insert(TableName, columns: [String], values: [Term])
    case select(Select)
    case delete(TableName, where: [Relation])
}

struct TableName: Hashable, Sendable {
    var keyspace: String?
    var table: String
}

/// A value in a statement: a literal, a bind marker (by position), or a collection of terms.
indirect enum Term: Sendable {
    case literal(Token)
    case null
    case marker(Int)
    case list([Term])
    case set([Term])
    case map([(Term, Term)])
}

struct Relation: Sendable {
    enum Op: String, Sendable { case eq = "=", lt = "<", le = "<=", gt = ">", ge = ">=", `in` = "IN" }
    var column: String
    var op: Op
    var terms: [Term]
}

struct Select: Sendable {
    enum Selection: Sendable { case all, count, columns([String]) }
    var table: TableName
    var selection: Selection
    var relations: [Relation]
    var limit: Term?
}

/// A table's definition, as CREATE TABLE gave it.
struct TableDef: Sendable {
    var keyspace: String
    var name: String
    var columns: [(name: String, type: CQLType)]
    var partitionKey: [String]
    var clustering: [String]
    var descending: Set<String> = []

    func type(of column: String) -> CQLType? { columns.first { $0.name == column }?.type }
    func index(of column: String) -> Int? { columns.firstIndex { $0.name == column } }

    /// Key columns first, then the others by name, the order `SELECT *` returns.
    var selectOrder: [String] {
        let keys = partitionKey + clustering
        return keys + columns.map(\.name).filter { !keys.contains($0) }.sorted()
    }
}
