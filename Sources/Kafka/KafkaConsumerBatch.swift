/// The messages one `poll` returned, in the order librdkafka delivered them
/// (per-partition order kept), stored by column.
///
/// Every key and value is copied into one shared byte buffer and the other
/// fields into one array each, so a poll of n messages costs a few growing
/// arrays instead of two byte arrays per message. The scorer reads values in
/// place (`withValue(at:_:)`); `messages` and the subscript build
/// `KafkaConsumerMessage`s for code that wants whole messages and can pay for them.
public struct KafkaConsumerBatch: Sendable {
    /// Topic names in order of first appearance; `topicIndex(at:)` points into it.
    public private(set) var topics: [String] = []
    private var topicIndexes: [Int32] = []
    private var partitions: [Int32] = []
    private var offsets: [Int64] = []
    /// `Int64.min` where the broker sent no timestamp.
    private var timestamps: [Int64] = []
    private var bytes: [UInt8] = []
    private var keys: [Slot] = []
    private var values: [Slot] = []
    /// Only messages that carry headers have an entry.
    private var headerLists: [Int: [KafkaHeader]] = [:]

    /// Where one key or value sits in `bytes`; `count == -1` for an absent key.
    private struct Slot {
        var start: Int
        var count: Int
    }

    public init() {}

    public init(messages: [KafkaConsumerMessage]) {
        reserveCapacity(messages.count)
        for m in messages { append(m) }
    }

    public var count: Int { offsets.count }
    public var isEmpty: Bool { offsets.isEmpty }

    public mutating func reserveCapacity(_ n: Int) {
        topicIndexes.reserveCapacity(n); partitions.reserveCapacity(n); offsets.reserveCapacity(n)
        timestamps.reserveCapacity(n); keys.reserveCapacity(n); values.reserveCapacity(n)
    }

    public mutating func append(_ m: KafkaConsumerMessage) {
        let topic = addTopic(m.topic)
        m.value.withUnsafeBytes { value in
            guard let key = m.key else {
                return append(topicIndex: topic, partition: m.partition, offset: m.offset, key: nil, value: value, timestamp: m.timestamp)
            }
            key.withUnsafeBytes {
                append(topicIndex: topic, partition: m.partition, offset: m.offset, key: $0, value: value, timestamp: m.timestamp)
            }
        }
        if !m.headers.isEmpty { headerLists[count - 1] = m.headers }
    }

    /// Appends one message whose key and value are copied from C memory (the poll loop's path).
    mutating func append(
        topicIndex: Int, partition: Int32, offset: Int64, key: UnsafeRawBufferPointer?, value: UnsafeRawBufferPointer,
        timestamp: Int64?
    ) {
        topicIndexes.append(Int32(topicIndex))
        partitions.append(partition)
        offsets.append(offset)
        timestamps.append(timestamp ?? .min)
        if let key {
            keys.append(Slot(start: bytes.count, count: key.count))
            bytes.append(contentsOf: key.assumingMemoryBound(to: UInt8.self))
        } else {
            keys.append(Slot(start: bytes.count, count: -1))
        }
        values.append(Slot(start: bytes.count, count: value.count))
        bytes.append(contentsOf: value.assumingMemoryBound(to: UInt8.self))
    }

    /// Registers a topic name for `append(topicIndex:...)`; returns its index.
    mutating func addTopic(_ name: String) -> Int {
        if let i = topics.firstIndex(of: name) { return i }
        topics.append(name)
        return topics.count - 1
    }

    mutating func setHeaders(_ headers: [KafkaHeader], at i: Int) { headerLists[i] = headers }

    public func topicIndex(at i: Int) -> Int { Int(topicIndexes[i]) }
    public func topic(at i: Int) -> String { topics[Int(topicIndexes[i])] }
    public func partition(at i: Int) -> Int32 { partitions[i] }
    public func offset(at i: Int) -> Int64 { offsets[i] }
    public func timestamp(at i: Int) -> Int64? { timestamps[i] == .min ? nil : timestamps[i] }
    public func headers(at i: Int) -> [KafkaHeader] { headerLists[i] ?? [] }

    /// The oldest timestamp in the batch, nil when no message has one.
    public var oldestTimestamp: Int64? {
        var oldest = Int64.max
        for t in timestamps where t != .min { oldest = min(oldest, t) }
        return oldest == .max ? nil : oldest
    }

    /// Calls `body` with the message's value in place, without copying it.
    public func withValue<R>(at i: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let slot = values[i]
        return try bytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[slot.start..<(slot.start + slot.count)])) }
    }

    public func value(at i: Int) -> [UInt8] { withValue(at: i) { Array($0) } }

    public func key(at i: Int) -> [UInt8]? {
        let slot = keys[i]
        return slot.count < 0 ? nil : Array(bytes[slot.start..<(slot.start + slot.count)])
    }

    public subscript(i: Int) -> KafkaConsumerMessage {
        KafkaConsumerMessage(
            topic: topic(at: i), partition: partitions[i], offset: offsets[i], key: key(at: i), value: value(at: i),
            timestamp: timestamp(at: i), headers: headers(at: i))
    }

    /// Every message as a `KafkaConsumerMessage` (allocates per message).
    public var messages: [KafkaConsumerMessage] { (0..<count).map { self[$0] } }

    /// Per partition, the offset after the highest one in the batch: what to commit when the batch is done.
    public var commitOffsets: [KafkaPartitionOffset] {
        var next: [Int64: Int64] = [:]
        for i in 0..<count {
            let slot = Int64(topicIndexes[i]) << 32 | Int64(UInt32(bitPattern: partitions[i]))
            next[slot] = max(next[slot] ?? .min, offsets[i] + 1)
        }
        return next.map { slot, offset in
            KafkaPartitionOffset(
                topic: topics[Int(slot >> 32)], partition: Int32(bitPattern: UInt32(truncatingIfNeeded: slot)), offset: offset)
        }
        .sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
    }
}
