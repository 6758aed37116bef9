/// Many messages to one topic in two flat buffers, the way an encoder writes
/// them: message i's value is `values[valueEnds[i - 1]..<valueEnds[i]]` (from
/// 0 for the first) and its key likewise in `keys`. Sending it costs no
/// allocation per message, where `[KafkaProducerMessage]` costs two.
public struct KafkaProducerBatch: Sendable {
    public var topic: String
    public var values: [UInt8] = []
    public var valueEnds: [Int] = []
    /// Empty when the messages have no keys; otherwise one end per message.
    public var keys: [UInt8] = []
    public var keyEnds: [Int] = []

    public init(topic: String) { self.topic = topic }

    public var count: Int { valueEnds.count }
    public var isEmpty: Bool { valueEnds.isEmpty }

    public func valueRange(_ i: Int) -> Range<Int> { (i == 0 ? 0 : valueEnds[i - 1])..<valueEnds[i] }
    public func keyRange(_ i: Int) -> Range<Int>? {
        keyEnds.isEmpty ? nil : (i == 0 ? 0 : keyEnds[i - 1])..<keyEnds[i]
    }

    /// Appends one message (for callers that do not encode in place).
    public mutating func append(key: some Sequence<UInt8>, value: some Sequence<UInt8>) {
        values.append(contentsOf: value)
        valueEnds.append(values.count)
        keys.append(contentsOf: key)
        keyEnds.append(keys.count)
    }
}
