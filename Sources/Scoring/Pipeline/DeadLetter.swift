import Kafka

/// A refused event as it goes to the dead-letter topic (docs/formats.md, "Dead letters"): its
/// original key and value, why it was refused (`forewarn-error`) and where it came from
/// (`forewarn-source`, `topic/partition/offset`). One that the producer or the broker would
/// refuse as too large is cut to fit rather than retried forever: its value (and, when the key
/// alone is too large, its key) keeps its first bytes, and `forewarn-original-size` (and
/// `forewarn-original-key-size`) gives the size it had.
public enum DeadLetter {
    public static let errorHeader = "forewarn-error"
    public static let sourceHeader = "forewarn-source"
    /// On a cut dead letter only: the original value's size in bytes, in decimal.
    public static let originalSizeHeader = "forewarn-original-size"
    /// On a dead letter whose key was cut too: the original key's size in bytes.
    public static let originalKeySizeHeader = "forewarn-original-key-size"
    /// A reason longer than this is cut (a reason may quote the input).
    static let maxReasonBytes = 1_024
    /// What a record costs beyond its key, value and headers, generously (Kafka's v2 record framing is under 40 bytes).
    static let recordOverhead = 256

    /// The dead letter of the message at `topic/partition/offset`.
    public static func message(
        to deadLetterTopic: String, key: [UInt8]?, value: [UInt8], reason: String, topic: String, partition: Int32, offset: Int64
    ) -> KafkaProducerMessage {
        let reasonBytes = Array(reason.utf8)
        let cutReason = reasonBytes.count <= maxReasonBytes ? reasonBytes : Array(reasonBytes.prefix(maxReasonBytes)) + Array("...".utf8)
        return KafkaProducerMessage(
            topic: deadLetterTopic, key: key, value: value,
            headers: [
                KafkaHeader(name: errorHeader, value: cutReason),
                KafkaHeader(name: sourceHeader, string: "\(topic)/\(partition)/\(offset)"),
            ])
    }

    /// The bytes `message` takes against a `message.max.bytes` limit (an upper bound).
    static func size(_ message: KafkaProducerMessage) -> Int {
        let headers = message.headers.reduce(0) { $0 + $1.name.utf8.count + ($1.value?.count ?? 0) + 10 }
        return recordOverhead + (message.key?.count ?? 0) + message.value.count + headers
    }

    /// `message` as it is when it fits in `maxBytes`; else cut to fit, its original sizes in headers.
    /// Cutting a message already cut keeps the sizes it first had.
    public static func fitted(_ message: KafkaProducerMessage, maxBytes: Int) -> KafkaProducerMessage {
        guard size(message) > maxBytes else { return message }
        var out = message
        let valueSize = message.headers.first { $0.name == originalSizeHeader } ?? KafkaHeader(name: originalSizeHeader, string: "\(message.value.count)")
        out.headers = message.headers.filter { $0.name != originalSizeHeader } + [valueSize]
        // Room for the key and the value once framing and headers (with room for the key's size header) are paid for.
        let room = max(0, maxBytes - recordOverhead - 64 - out.headers.reduce(0) { $0 + $1.name.utf8.count + ($1.value?.count ?? 0) + 10 })
        if let key = message.key, key.count > room / 2 {
            if !out.headers.contains(where: { $0.name == originalKeySizeHeader }) {
                out.headers.append(KafkaHeader(name: originalKeySizeHeader, string: "\(key.count)"))
            }
            out.key = Array(key.prefix(room / 2))
        }
        out.value = Array(message.value.prefix(max(0, room - (out.key?.count ?? 0))))
        return out
    }

    /// The text of header `name` of `message`, if it has one.
    static func header(_ name: String, of message: KafkaProducerMessage) -> String? {
        message.headers.first { $0.name == name }?.value.map { String(decoding: $0, as: UTF8.self) }
    }
}
