import Foundation
import NIOCore

/// Serializes values by column type (spec section 6). A value that does not fit its column
/// type is an error naming both.
public enum ValueCodec {
    static let dateEpochShift: Int64 = 1 << 31

    /// Writes a [bytes] value: the length, then the serialized value (length -1 for null).
    public static func write(_ value: CQLValue, as type: CQLType, into buffer: inout ByteBuffer) throws {
        if value == .null {
            buffer.writeInteger(Int32(-1))
            return
        }
        let lengthIndex = buffer.writerIndex
        buffer.writeInteger(Int32(0))
        let start = buffer.writerIndex
        try writeContent(value, as: type, into: &buffer)
        buffer.setInteger(Int32(buffer.writerIndex - start), at: lengthIndex)
    }

    static func writeContent(_ value: CQLValue, as type: CQLType, into buffer: inout ByteBuffer) throws {
        switch (type, value) {
        case (.text, .text(let s)), (.ascii, .text(let s)): buffer.writeString(s)
        case (.int, .int(let v)): buffer.writeInteger(v)
        case (.smallint, .int(let v)):
            guard let s = Int16(exactly: v) else { throw mismatch(value, type) }
            buffer.writeInteger(s)
        case (.tinyint, .int(let v)):
            guard let s = Int8(exactly: v) else { throw mismatch(value, type) }
            buffer.writeInteger(s)
        case (.bigint, .bigint(let v)), (.timestamp, .timestamp(let v)), (.bigint, .timestamp(let v)),
            (.timestamp, .bigint(let v)):
            buffer.writeInteger(v)
        case (.double, .double(let v)): buffer.writeInteger(v.bitPattern)
        case (.float, .double(let v)): buffer.writeInteger(Float(v).bitPattern)
        case (.boolean, .boolean(let v)): buffer.writeInteger(UInt8(v ? 1 : 0))
        case (.date, .date(let d)): buffer.writeInteger(UInt32(truncatingIfNeeded: Int64(d) + dateEpochShift))
        case (.uuid, .uuid(let u)), (.timeuuid, .uuid(let u)):
            buffer.writeBytes(withUnsafeBytes(of: u.uuid) { Array($0) })
        case (.blob, .blob(let b)), (.inet, .blob(let b)): buffer.writeBytes(b)
        case (.list(let e), .list(let items)), (.set(let e), .list(let items)):
            buffer.writeInteger(Int32(items.count))
            for item in items { try write(item, as: e, into: &buffer) }
        case (.map(let k, let v), .map(let entries)):
            buffer.writeInteger(Int32(entries.count))
            for entry in entries {
                try write(entry.key, as: k, into: &buffer)
                try write(entry.value, as: v, into: &buffer)
            }
        default:
            throw mismatch(value, type)
        }
    }

    static func mismatch(_ value: CQLValue, _ type: CQLType) -> CQLClientError {
        .invalidValue("value \(value) does not fit a column of type \(type)")
    }

    /// Reads a value of `type` from its serialized bytes (nil bytes are null).
    public static func read(_ bytes: ByteBuffer?, as type: CQLType) throws -> CQLValue {
        guard var b = bytes else { return .null }
        let value = try readContent(&b, as: type)
        guard b.readableBytes == 0 else {
            throw CQLProtocolError("\(b.readableBytes) extra bytes after a \(type) value")
        }
        return value
    }

    static func readContent(_ b: inout ByteBuffer, as type: CQLType) throws -> CQLValue {
        func fixed<T: FixedWidthInteger>(_: T.Type) throws -> T {
            guard b.readableBytes == MemoryLayout<T>.size, let v = b.readInteger(as: T.self) else {
                throw CQLProtocolError("a \(type) value must be \(MemoryLayout<T>.size) bytes, got \(b.readableBytes)")
            }
            return v
        }
        switch type {
        case .text, .ascii:
            guard let s = b.readString(length: b.readableBytes) else { throw CQLProtocolError("invalid UTF-8 in \(type)") }
            return .text(s)
        case .int: return .int(try fixed(Int32.self))
        case .smallint: return .int(Int32(try fixed(Int16.self)))
        case .tinyint: return .int(Int32(try fixed(Int8.self)))
        case .bigint: return .bigint(try fixed(Int64.self))
        case .timestamp: return .timestamp(try fixed(Int64.self))
        case .double: return .double(Double(bitPattern: try fixed(UInt64.self)))
        case .float: return .double(Double(Float(bitPattern: try fixed(UInt32.self))))
        case .boolean: return .boolean(try fixed(UInt8.self) != 0)
        case .date: return .date(Int32(truncatingIfNeeded: Int64(try fixed(UInt32.self)) - dateEpochShift))
        case .uuid, .timeuuid:
            guard b.readableBytes == 16, let bytes = b.readBytes(length: 16) else {
                throw CQLProtocolError("a uuid must be 16 bytes, got \(b.readableBytes)")
            }
            return .uuid(UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15])))
        case .blob, .inet, .unsupported: return .blob(b.readBytes(length: b.readableBytes) ?? [])
        case .list(let e), .set(let e):
            let n = try b.readCQLInt()
            guard n >= 0, Int(n) <= b.readableBytes / 4 else { throw CQLProtocolError("collection count \(n) is impossible") }
            return .list(try (0..<n).map { _ in try read(try b.readCQLBytes(), as: e) })
        case .map(let k, let v):
            let n = try b.readCQLInt()
            guard n >= 0, Int(n) <= b.readableBytes / 8 else { throw CQLProtocolError("map count \(n) is impossible") }
            return .map(try (0..<n).map { _ in
                CQLValue.MapEntry(try read(try b.readCQLBytes(), as: k), try read(try b.readCQLBytes(), as: v))
            })
        }
    }
}
