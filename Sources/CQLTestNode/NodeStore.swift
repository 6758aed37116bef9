import CQL
import NIOConcurrencyHelpers
import NIOCore

/// The node's shared state, used by every connection's event loop: data and schema under one
/// lock, prepared statements under another, and the channels registered for schema events.
final class NodeStore: Sendable {
    let state: NIOLockedValueBox<NodeState>
    let prepared = NIOLockedValueBox([[UInt8]: PreparedEntry]())
    let listeners = NIOLockedValueBox([ObjectIdentifier: Channel]())

    init(clusterName: String) throws {
        state = NIOLockedValueBox(try SystemTables.initialState(clusterName: clusterName))
    }

    func prepare(_ cql: String, keyspace: String?) throws -> (id: [UInt8], entry: PreparedEntry) {
        let (statement, markers) = try Parser.parse(cql, keyspace: keyspace)
        let shape = try state.withLockedValue { try StatementShape(statement, markers: markers, state: $0, keyspace: keyspace) }
        let entry = PreparedEntry(statement: statement, keyspace: keyspace, bindColumns: shape.bindColumns, pkIndices: shape.pkIndices,
            resultColumns: shape.resultColumns)
        let id = PreparedCache.id(for: cql, keyspace: keyspace)
        prepared.withLockedValue { $0[id] = entry }
        return (id, entry)
    }

    /// Runs a statement without a connection; node errors are thrown as `CQLServerError`.
    func executeLocally(_ cql: String) throws {
        do {
            let (statement, markers) = try Parser.parse(cql, keyspace: nil)
            guard markers == 0 else { throw InvalidRequest("bind markers need values: \(cql)") }
            var keyspace: String?
            _ = try state.withLockedValue {
                try Executor.run(statement, binder: TermBinder(bound: [], markerTypes: []), state: &$0, keyspace: &keyspace)
            }
        } catch {
            throw NodeHandler.serverError(for: error)
        }
    }

    func preparedEntry(_ id: [UInt8]) throws -> PreparedEntry {
        guard let entry = prepared.withLockedValue({ $0[id] }) else {
            throw UnpreparedError(id: id)
        }
        return entry
    }

    func publish(_ change: SchemaChange, allocator: ByteBufferAllocator) {
        var body = allocator.buffer(capacity: 64)
        try? Response.event(.schemaChange(change)).writeBody(into: &body)
        let frame = Frame(version: Frame.responseVersion, stream: -1, opcode: .event, body: body)
        for channel in listeners.withLockedValue({ Array($0.values) }) { channel.writeAndFlush(frame, promise: nil) }
    }
}

struct UnpreparedError: Error {
    let id: [UInt8]
}
