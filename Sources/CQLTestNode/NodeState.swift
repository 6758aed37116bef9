import CQL
import Foundation

/// Everything the node stores: keyspaces, tables (its own system tables among them) and rows.
struct NodeState: Sendable {
    struct Keyspace: Sendable {
        var replication: [String: String]
        var durableWrites: Bool
    }

    var keyspaces: [String: Keyspace] = [:]
    var tables: [TableName: TableData] = [:]
    var schemaVersion = UUID()
    var clusterName = "Forewarn Test Cluster"

    func table(_ name: TableName) throws -> TableData {
        guard let t = tables[name] else {
            throw InvalidRequest("unconfigured table \(name.table)\(name.keyspace.map { " in keyspace \($0)" } ?? "")")
        }
        return t
    }

    /// Creates a keyspace; false when it existed and `ifNotExists` allowed that.
    mutating func createKeyspace(_ name: String, replication: [String: String], durable: Bool, ifNotExists: Bool) throws -> Bool {
        if keyspaces[name] != nil {
            if ifNotExists { return false }
            throw AlreadyExists(keyspace: name, table: "")
        }
        keyspaces[name] = Keyspace(replication: replication, durableWrites: durable)
        schemaChanged()
        return true
    }

    mutating func createTable(_ def: TableDef, ifNotExists: Bool) throws -> Bool {
        guard keyspaces[def.keyspace] != nil else { throw InvalidRequest("keyspace \(def.keyspace) does not exist") }
        let name = TableName(keyspace: def.keyspace, table: def.name)
        if tables[name] != nil {
            if ifNotExists { return false }
            throw AlreadyExists(keyspace: def.keyspace, table: def.name)
        }
        tables[name] = TableData(def: def)
        schemaChanged()
        return true
    }

    mutating func dropKeyspace(_ name: String, ifExists: Bool) throws -> Bool {
        guard keyspaces.removeValue(forKey: name) != nil else {
            if ifExists { return false }
            throw InvalidRequest("keyspace \(name) does not exist")
        }
        tables = tables.filter { $0.key.keyspace != name }
        schemaChanged()
        return true
    }

    mutating func dropTable(_ name: TableName, ifExists: Bool) throws -> Bool {
        guard tables.removeValue(forKey: name) != nil else {
            if ifExists { return false }
            throw InvalidRequest("table \(name.table) does not exist")
        }
        schemaChanged()
        return true
    }

    /// Rewrites system_schema's rows from the definitions, as a real node does on every change.
    mutating func schemaChanged() {
        schemaVersion = UUID()
        SystemTables.refresh(&self)
    }
}

/// A CREATE of something that exists, without IF NOT EXISTS.
struct AlreadyExists: Error {
    let keyspace: String
    let table: String
}
