/// librdkafka moved a partition's fetch position because the broker refused it ("offset out of range":
/// the log no longer holds, or never held, that offset) and `auto.offset.reset` picked a new one.
/// Read from librdkafka's `OFFSET` warning, its only report of a reset that is not `auto.offset.reset=error`.
public struct KafkaOffsetReset: Sendable, Equatable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32
    /// The offset the consumer asked for, when it was a plain offset.
    public var from: Int64?
    /// Where it went: `BEGINNING`, `END`, or a cached log start such as `cached BEGINNING offset 5000`.
    public var to: String
    /// The offset it went to, when librdkafka knew it (a cached log start).
    public var toOffset: Int64? { to.split(separator: " ").last.flatMap { Int64($0) } }
    /// Events deleted between the old position and the new one, when both are known.
    public var skipped: Int64? {
        guard let from, let toOffset else { return nil }
        return max(0, toOffset - from)
    }
    /// librdkafka's reason and error text.
    public var reason: String

    public var description: String { "\(topic)[\(partition)] from offset \(from.map(String.init) ?? "?") to \(to): \(reason)" }

    /// Parses `[thrd:NAME]: TOPIC [P]: offset reset (at offset N, broker B) to WHERE: REASON: ERROR`.
    init?(logLine line: String) {
        let pattern = #/^(?:\[thrd:[^\]]*\]: )?(\S+) \[(\d+)\]: offset reset \(at offset ([^,)]+)(?:, broker -?\d+)?\) to ([^:]+): (.*)$/#
        guard let m = line.wholeMatch(of: pattern), let partition = Int32(m.2) else { return nil }
        topic = String(m.1)
        self.partition = partition
        from = Int64(m.3)
        to = String(m.4)
        reason = String(m.5)
    }
}
