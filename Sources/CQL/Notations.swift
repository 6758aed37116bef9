import NIOCore

/// The spec's notations (section 3): [int], [long], [short], [string], [long string], [bytes], ...
/// Readers throw `CQLProtocolError` on truncated or malformed input, never trap.
extension ByteBuffer {
    public mutating func readCQLInt() throws -> Int32 {
        guard let v = readInteger(as: Int32.self) else { throw CQLProtocolError.truncated("[int]") }
        return v
    }

    public mutating func readCQLLong() throws -> Int64 {
        guard let v = readInteger(as: Int64.self) else { throw CQLProtocolError.truncated("[long]") }
        return v
    }

    public mutating func readCQLShort() throws -> UInt16 {
        guard let v = readInteger(as: UInt16.self) else { throw CQLProtocolError.truncated("[short]") }
        return v
    }

    public mutating func readCQLByte() throws -> UInt8 {
        guard let v = readInteger(as: UInt8.self) else { throw CQLProtocolError.truncated("[byte]") }
        return v
    }

    public mutating func readCQLString() throws -> String {
        let n = Int(try readCQLShort())
        guard let s = readString(length: n) else { throw CQLProtocolError.truncated("[string]") }
        return s
    }

    public mutating func readCQLLongString() throws -> String {
        let n = try readCQLInt()
        guard n >= 0, let s = readString(length: Int(n)) else { throw CQLProtocolError.truncated("[long string]") }
        return s
    }

    /// [bytes]: nil for a negative length (null).
    public mutating func readCQLBytes() throws -> ByteBuffer? {
        let n = try readCQLInt()
        if n < 0 { return nil }
        guard let slice = readSlice(length: Int(n)) else { throw CQLProtocolError.truncated("[bytes]") }
        return slice
    }

    public mutating func readCQLShortBytes() throws -> [UInt8] {
        let n = Int(try readCQLShort())
        guard let bytes = readBytes(length: n) else { throw CQLProtocolError.truncated("[short bytes]") }
        return bytes
    }

    public mutating func readCQLStringList() throws -> [String] {
        let n = Int(try readCQLShort())
        return try (0..<n).map { _ in try readCQLString() }
    }

    public mutating func readCQLStringMap() throws -> [String: String] {
        let n = Int(try readCQLShort())
        var map: [String: String] = [:]
        for _ in 0..<n { map[try readCQLString()] = try readCQLString() }
        return map
    }

    public mutating func readCQLStringMultimap() throws -> [String: [String]] {
        let n = Int(try readCQLShort())
        var map: [String: [String]] = [:]
        for _ in 0..<n { map[try readCQLString()] = try readCQLStringList() }
        return map
    }

    public mutating func readCQLConsistency() throws -> Consistency {
        let raw = try readCQLShort()
        guard let c = Consistency(rawValue: raw) else { throw CQLProtocolError("unknown consistency 0x\(String(raw, radix: 16))") }
        return c
    }

    /// [inet]: a one-byte address size (4 or 16), the address, then an [int] port.
    public mutating func readCQLInet() throws -> (address: [UInt8], port: Int32) {
        let size = Int(try readCQLByte())
        guard size == 4 || size == 16 else { throw CQLProtocolError("[inet] address size \(size) is neither 4 nor 16") }
        guard let address = readBytes(length: size) else { throw CQLProtocolError.truncated("[inet]") }
        return (address, try readCQLInt())
    }

    public mutating func writeCQLString(_ s: String) {
        writeInteger(UInt16(truncatingIfNeeded: s.utf8.count))
        writeString(s)
    }

    public mutating func writeCQLLongString(_ s: String) {
        writeInteger(Int32(truncatingIfNeeded: s.utf8.count))
        writeString(s)
    }

    public mutating func writeCQLBytes(_ bytes: ByteBuffer?) {
        guard var bytes else { writeInteger(Int32(-1)); return }
        writeInteger(Int32(bytes.readableBytes))
        writeBuffer(&bytes)
    }

    public mutating func writeCQLShortBytes(_ bytes: [UInt8]) {
        writeInteger(UInt16(truncatingIfNeeded: bytes.count))
        writeBytes(bytes)
    }

    public mutating func writeCQLStringList(_ list: [String]) {
        writeInteger(UInt16(truncatingIfNeeded: list.count))
        for s in list { writeCQLString(s) }
    }

    public mutating func writeCQLStringMap(_ map: [String: String]) {
        writeInteger(UInt16(truncatingIfNeeded: map.count))
        for (k, v) in map.sorted(by: { $0.key < $1.key }) {
            writeCQLString(k)
            writeCQLString(v)
        }
    }

    public mutating func writeCQLStringMultimap(_ map: [String: [String]]) {
        writeInteger(UInt16(truncatingIfNeeded: map.count))
        for (k, v) in map.sorted(by: { $0.key < $1.key }) {
            writeCQLString(k)
            writeCQLStringList(v)
        }
    }

    public mutating func writeCQLInet(address: [UInt8], port: Int32) {
        writeInteger(UInt8(address.count))
        writeBytes(address)
        writeInteger(port)
    }
}
