import NIOCore

/// A statement prepared on the cluster: its text, its bind variables and their key positions.
/// The id is kept by the client, which re-prepares when a node has forgotten it.
public struct PreparedStatement: Sendable {
    public let cql: String
    public let bindColumns: [ColumnSpec]
    public let pkIndices: [UInt16]
    public let resultColumns: [ColumnSpec]

    /// Serializes bound values by the types the node reported for each marker.
    public func encode(_ values: [CQLValue]) throws -> [ByteBuffer?] {
        guard values.count == bindColumns.count else {
            throw CQLClientError.invalidValue("\(values.count) values for \(bindColumns.count) bind markers in: \(cql)")
        }
        // One buffer for all values, handed out as slices: one allocation per row, not per value.
        var b = ByteBuffer()
        b.reserveCapacity(values.count * 16)
        for (value, column) in zip(values, bindColumns) {
            do {
                try ValueCodec.write(value, as: column.type, into: &b)
            } catch CQLClientError.invalidValue(let why) {
                throw CQLClientError.invalidValue("\(column.name): \(why)")
            }
        }
        return try values.map { _ in try b.readCQLBytes() }
    }

    /// The partition key of one set of values, in key order; rows with equal keys share a partition.
    public func partitionKey(of values: [CQLValue]) -> [CQLValue] {
        pkIndices.map { Int($0) < values.count ? values[Int($0)] : .null }
    }

    /// Groups value rows by partition key, keeping first-seen order, each group at most `maxPerGroup` long.
    public func groupByPartition(_ rows: [[CQLValue]], maxPerGroup: Int) -> [[[CQLValue]]] {
        var index: [[CQLValue]: Int] = [:]
        var groups: [[[CQLValue]]] = []
        for row in rows {
            let key = partitionKey(of: row)
            if let i = index[key], groups[i].count < maxPerGroup {
                groups[i].append(row)
            } else {
                index[key] = groups.count
                groups.append([row])
            }
        }
        return groups
    }
}

extension CQLValue {
    /// The type a value is sent as in an unprepared QUERY, where the node gives no types.
    var naturalType: CQLType {
        switch self {
        case .null, .text: .text
        case .int: .int
        case .bigint: .bigint
        case .double: .double
        case .boolean: .boolean
        case .timestamp: .timestamp
        case .date: .date
        case .uuid: .uuid
        case .blob: .blob
        case .list(let items): .list(items.first?.naturalType ?? .text)
        case .map(let entries): .map(entries.first?.key.naturalType ?? .text, entries.first?.value.naturalType ?? .text)
        }
    }
}
