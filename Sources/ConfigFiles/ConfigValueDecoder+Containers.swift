/// The keyed, unkeyed and single-value containers of `ConfigValueDecoder`.
/// Every typed `decode` overload the protocols require goes to one generic
/// path (`ConfigValueDecoder.value`), so all values follow the same rules.
struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: ConfigValueDecoder
    let members: [String: ConfigNode]

    var codingPath: [any CodingKey] { decoder.codingPath }

    /// Reading every key (a dictionary does) allows every key.
    var allKeys: [Key] {
        decoder.state.readWhole.insert(decoder.node.path)
        return members.keys.sorted().compactMap { Key(stringValue: $0) }
    }

    private func ask(_ key: Key) -> ConfigNode? {
        decoder.state.asked[decoder.node.path, default: []].insert(key.stringValue)
        return members[key.stringValue]
    }

    private func member(_ key: Key) throws -> ConfigNode {
        guard let node = ask(key) else {
            throw ConfigError(file: decoder.node.file, line: decoder.node.line, key: decoder.node.childPath(key.stringValue), "missing key")
        }
        return node
    }

    func contains(_ key: Key) -> Bool { ask(key) != nil }
    func decodeNil(forKey key: Key) throws -> Bool { ask(key)?.isNull ?? true }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try decoder.child(try member(key), key).value(type) }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decoder.child(try member(key), key).value(type) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try decoder.child(try member(key), key).value(type) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decoder.child(try member(key), key).value(type) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try decoder.child(try member(key), key).value(type) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decoder.child(try member(key), key).value(type) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decoder.child(try member(key), key).value(type) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decoder.child(try member(key), key).value(type) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decoder.child(try member(key), key).value(type) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decoder.child(try member(key), key).value(type) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decoder.child(try member(key), key).value(type) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decoder.child(try member(key), key).value(type) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try decoder.child(try member(key), key).value(type) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try decoder.child(try member(key), key).value(type) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decoder.child(try member(key), key).value(type) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try decoder.child(try member(key), key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try decoder.child(try member(key), key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { decoder }
    func superDecoder(forKey key: Key) throws -> any Decoder { decoder.child(try member(key), key) }
}

struct UnkeyedContainer: UnkeyedDecodingContainer {
    let decoder: ConfigValueDecoder
    let items: [ConfigNode]
    var currentIndex = 0

    init(decoder: ConfigValueDecoder, items: [ConfigNode]) {
        self.decoder = decoder
        self.items = items
    }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    private mutating func next() throws -> ConfigValueDecoder {
        guard !isAtEnd else { throw decoder.node.fail("expected more entries in the list") }
        defer { currentIndex += 1 }
        return decoder.child(items[currentIndex], IndexKey(currentIndex))
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, items[currentIndex].isNull else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().value(type) }
    mutating func decode(_ type: Bool.Type) throws -> Bool { try next().value(type) }
    mutating func decode(_ type: String.Type) throws -> String { try next().value(type) }
    mutating func decode(_ type: Double.Type) throws -> Double { try next().value(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try next().value(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try next().value(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try next().value(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try next().value(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try next().value(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try next().value(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try next().value(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next().value(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try next().value(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next().value(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next().value(type) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }
    mutating func superDecoder() throws -> any Decoder { try next() }
}

struct SingleValue: SingleValueDecodingContainer {
    let decoder: ConfigValueDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { decoder.node.isNull }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.value(type) }
    func decode(_ type: Bool.Type) throws -> Bool { try decoder.value(type) }
    func decode(_ type: String.Type) throws -> String { try decoder.value(type) }
    func decode(_ type: Double.Type) throws -> Double { try decoder.value(type) }
    func decode(_ type: Float.Type) throws -> Float { try decoder.value(type) }
    func decode(_ type: Int.Type) throws -> Int { try decoder.value(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decoder.value(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decoder.value(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decoder.value(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decoder.value(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try decoder.value(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decoder.value(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decoder.value(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decoder.value(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decoder.value(type) }
}
