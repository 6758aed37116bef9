import Foundation
import NIOCore

/// A column type as the protocol's [option] carries it (spec section 4.2.5.2), limited to the
/// types Forewarn stores; any other type is decoded as `.custom` with its id so it can be reported.
public indirect enum CQLType: Hashable, Sendable, CustomStringConvertible {
    case ascii, bigint, blob, boolean, double, float, int, timestamp, uuid, text, timeuuid, inet, date, smallint, tinyint
    case list(CQLType)
    case set(CQLType)
    case map(CQLType, CQLType)
    case unsupported(UInt16)

    static let simpleIDs: [(CQLType, UInt16)] = [
        (.ascii, 0x01), (.bigint, 0x02), (.blob, 0x03), (.boolean, 0x04), (.double, 0x07), (.float, 0x08),
        (.int, 0x09), (.timestamp, 0x0B), (.uuid, 0x0C), (.text, 0x0D), (.inet, 0x10), (.timeuuid, 0x0F),
        (.date, 0x11), (.smallint, 0x13), (.tinyint, 0x14),
    ]

    public func write(into buffer: inout ByteBuffer) {
        switch self {
        case .list(let e):
            buffer.writeInteger(UInt16(0x20)); e.write(into: &buffer)
        case .set(let e):
            buffer.writeInteger(UInt16(0x22)); e.write(into: &buffer)
        case .map(let k, let v):
            buffer.writeInteger(UInt16(0x21)); k.write(into: &buffer); v.write(into: &buffer)
        case .unsupported(let id):
            buffer.writeInteger(id)
        default:
            buffer.writeInteger(Self.simpleIDs.first { $0.0 == self }?.1 ?? 0)
        }
    }

    public static func read(from buffer: inout ByteBuffer, depth: Int = 0) throws -> CQLType {
        guard depth < 16 else { throw CQLProtocolError("type nested more than 16 levels deep") }
        let id = try buffer.readCQLShort()
        switch id {
        case 0x00:
            _ = try buffer.readCQLString()
            return .unsupported(0)
        case 0x20: return .list(try read(from: &buffer, depth: depth + 1))
        case 0x22: return .set(try read(from: &buffer, depth: depth + 1))
        case 0x21: return .map(try read(from: &buffer, depth: depth + 1), try read(from: &buffer, depth: depth + 1))
        case 0x30, 0x31:
            throw CQLProtocolError("user-defined and tuple types are not supported")
        default:
            return simpleIDs.first { $0.1 == id }?.0 ?? .unsupported(id)
        }
    }

    /// The CQL name, as written in a CREATE TABLE and in system_schema.columns.
    public var description: String {
        switch self {
        case .ascii: "ascii"
        case .bigint: "bigint"
        case .blob: "blob"
        case .boolean: "boolean"
        case .double: "double"
        case .float: "float"
        case .int: "int"
        case .timestamp: "timestamp"
        case .uuid: "uuid"
        case .text: "text"
        case .timeuuid: "timeuuid"
        case .inet: "inet"
        case .date: "date"
        case .smallint: "smallint"
        case .tinyint: "tinyint"
        case .list(let e): "list<\(e)>"
        case .set(let e): "set<\(e)>"
        case .map(let k, let v): "map<\(k), \(v)>"
        case .unsupported(let id): "unsupported(0x\(String(id, radix: 16)))"
        }
    }

    /// Parses a type name as written in CQL: `text`, `varchar`, `list<int>`, `frozen<map<text, text>>`.
    public init?(cqlName: String) {
        let name = cqlName.trimmingCharacters(in: .whitespaces).lowercased()
        if let open = name.firstIndex(of: "<"), name.hasSuffix(">") {
            let outer = String(name[..<open]).trimmingCharacters(in: .whitespaces)
            let inner = String(name[name.index(after: open)..<name.index(before: name.endIndex)])
            let args = CQLType.splitTopLevel(inner)
            switch (outer, args.count) {
            case ("frozen", 1): guard let t = CQLType(cqlName: args[0]) else { return nil }; self = t
            case ("list", 1): guard let t = CQLType(cqlName: args[0]) else { return nil }; self = .list(t)
            case ("set", 1): guard let t = CQLType(cqlName: args[0]) else { return nil }; self = .set(t)
            case ("map", 2):
                guard let k = CQLType(cqlName: args[0]), let v = CQLType(cqlName: args[1]) else { return nil }
                self = .map(k, v)
            default: return nil
            }
            return
        }
        switch name {
        case "varchar": self = .text
        default:
            guard let t = CQLType.simpleIDs.first(where: { $0.0.description == name })?.0 else { return nil }
            self = t
        }
    }

    static func splitTopLevel(_ s: String) -> [String] {
        var parts: [String] = [], depth = 0, current = ""
        for ch in s {
            if ch == "<" { depth += 1 } else if ch == ">" { depth -= 1 }
            if ch == ",", depth == 0 { parts.append(current); current = "" } else { current.append(ch) }
        }
        parts.append(current)
        return parts.map { $0.trimmingCharacters(in: .whitespaces) }
    }
}
