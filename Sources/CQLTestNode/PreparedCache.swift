import Basics
import CQL

/// A statement the node has prepared: what it binds and what it returns.
struct PreparedEntry: Sendable {
    let statement: Statement
    let keyspace: String?
    let bindColumns: [ColumnSpec]
    let pkIndices: [UInt16]
    let resultColumns: [ColumnSpec]
}

enum PreparedCache {
    /// A 16-byte id from the keyspace and the text, like the MD5 a real node uses (but not MD5).
    static func id(for cql: String, keyspace: String?) -> [UInt8] {
        let bytes = Array(((keyspace ?? "") + "\u{0}" + cql).utf8)
        let a = FNV1a.hash64(bytes), b = FNV1a.hash64(bytes, seed: 0x1000_0000_01b3_7a5c)
        return withUnsafeBytes(of: a.bigEndian) { Array($0) } + withUnsafeBytes(of: b.bigEndian) { Array($0) }
    }
}
