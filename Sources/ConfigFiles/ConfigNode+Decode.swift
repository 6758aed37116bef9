import Yams

extension ConfigNode {
    /// Decodes `T` from this node, with every error a `ConfigError` at the
    /// line and key path of the value concerned (a `Decodable`'s own checks
    /// included: what its `init(from:)` throws is placed at the node it was
    /// decoding). Nested keys need no extra work: `window.last` is a member
    /// `window` of a nested `Decodable` type with a member `last`.
    ///
    /// Unknown keys are refused, as `mapping(allowed:)` does. When a type's
    /// `CodingKeys` are `CaseIterable`, before anything is decoded, so a
    /// misspelt required key reads "unknown key 'x' (allowed here: …)" rather
    /// than "missing key"; otherwise after decoding, allowing the
    /// keys the type asked for (with synthesised conformances, all of them).
    public func decode<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        let state = DecodingState(root: self)
        let value = try ConfigValueDecoder(node: self, codingPath: [], state: state).value(T.self)
        try state.refuseUnaskedKeys()
        return value
    }
}

/// What one `decode` call shares between its containers: the keys each
/// mapping was asked for, and which mappings were read whole (dictionaries).
final class DecodingState {
    let root: ConfigNode
    var asked: [String: Set<String>] = [:]
    var mappings: [String: ConfigNode] = [:]
    var readWhole: Set<String> = []

    init(root: ConfigNode) { self.root = root }

    func refuseUnaskedKeys() throws {
        var unknown: [ConfigError] = []
        for (path, node) in mappings where !readWhole.contains(path) {
            let allowed = (asked[path] ?? []).sorted().joined(separator: ", ")
            for (k, _) in node.node.mapping ?? [:] {
                guard let key = k.string, !(asked[path] ?? []).contains(key) else { continue }
                unknown.append(ConfigError(file: node.file, line: k.mark?.line, key: node.childPath(key), "unknown key (allowed here: \(allowed))"))
            }
        }
        if let first = unknown.min(by: { ($0.line ?? 0) < ($1.line ?? 0) }) { throw first }
    }

    /// A `DecodingError` thrown by a type's own `init(from:)`, as a `ConfigError` at the node its coding path names.
    func convert(_ error: DecodingError) -> ConfigError {
        func path(_ keys: [any CodingKey]) -> String {
            keys.reduce("") { p, k in k.intValue.map { "\(p)[\($0)]" } ?? (p.isEmpty ? k.stringValue : "\(p).\(k.stringValue)") }
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = root.child(at: path(context.codingPath)) ?? root
            return ConfigError(file: root.file, line: parent.line, key: root.childPath(path(context.codingPath + [key])), "missing key")
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return root.locate(ConfigError(key: path(context.codingPath), context.debugDescription))
        @unknown default:
            return root.fail("\(error)")
        }
    }
}

/// A `Decoder` over one `ConfigNode`.
struct ConfigValueDecoder: Decoder {
    let node: ConfigNode
    let codingPath: [any CodingKey]
    let state: DecodingState
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// Decodes `T` here: scalars directly, anything else through its `init(from:)`.
    func value<T: Decodable>(_ type: T.Type) throws -> T {
        if let v = try scalar(type) { return v }
        do {
            return try T(from: self)
        } catch let error as ConfigError {
            throw error
        } catch let error as DecodingError {
            throw state.convert(error)
        } catch {
            throw node.fail("\(error)")
        }
    }

    /// Numbers are read as people write them, the same in every file and
    /// reader: decimal digits with an optional sign (`Int("…")`, `Double("…")`),
    /// quoted or not; YAML 1.1's octal `010` and sexagesimal `1:30` are not numbers here.
    private func scalar<T>(_ type: T.Type) throws -> T? {
        if T.self == String.self {
            guard let s = node.node.scalar?.string else { throw node.expected("a string") }
            return s as? T
        }
        if T.self == Bool.self {
            guard let b = node.node.bool else { throw node.expected("true or false") }
            return b as? T
        }
        if T.self == Double.self || T.self == Float.self {
            guard let d = node.node.scalar.flatMap({ Double($0.string) }) else { throw node.expected("a number") }
            return (T.self == Double.self ? d as Any : Float(d) as Any) as? T
        }
        if let integer = T.self as? any FixedWidthInteger.Type { return try whole(integer) as? T }
        return nil
    }

    private func whole<I: FixedWidthInteger>(_ type: I.Type) throws -> I {
        guard let text = node.node.scalar?.string, let v = I(text, radix: 10) else {
            throw node.expected(I.bitWidth >= 64 ? "a whole number" : "a whole number from \(I.min) to \(I.max)")
        }
        return v
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard let mapping = node.node.mapping else { throw node.expected("a mapping") }
        var members: [String: ConfigNode] = [:]
        for (k, v) in mapping {
            guard let key = k.string, k.scalar != nil else { throw node.fail("keys must be plain names") }
            members[key] = ConfigNode(node: v, path: node.childPath(key), file: node.file)
        }
        state.mappings[node.path] = node
        if let all = Key.self as? any (CodingKey & CaseIterable).Type {
            let names = Self.names(all)
            state.asked[node.path, default: []].formUnion(names)
            for (k, _) in mapping {
                guard let key = k.string, !names.contains(key) else { continue }
                throw ConfigError(file: node.file, line: k.mark?.line, key: node.childPath(key), "unknown key (allowed here: \(names.sorted().joined(separator: ", ")))")
            }
        }
        return KeyedDecodingContainer(KeyedContainer<Key>(decoder: self, members: members))
    }

    private static func names<K: CodingKey & CaseIterable>(_ type: K.Type) -> Set<String> { Set(K.allCases.map(\.stringValue)) }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard let seq = node.node.sequence else { throw node.expected("a list") }
        return UnkeyedContainer(decoder: self, items: seq.enumerated().map { ConfigNode(node: $1, path: "\(node.path)[\($0)]", file: node.file) })
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { SingleValue(decoder: self) }

    func child(_ node: ConfigNode, _ key: any CodingKey) -> ConfigValueDecoder {
        ConfigValueDecoder(node: node, codingPath: codingPath + [key], state: state)
    }
}

/// A coding key for list positions.
struct IndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "\(intValue ?? 0)" }
    init(_ i: Int) { intValue = i }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}
