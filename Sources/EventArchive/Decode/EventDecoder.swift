/// Decodes JSON events (one object per message, as on Kafka) into a columnar
/// batch by a stream spec, with exactly the rules and words of the JSON-lines
/// importer. A bad event is not an error: it is returned with its reason so
/// the caller can dead-letter it, and the rest of the batch goes on.
public struct EventDecoder {
    /// One decoded batch: the good events as columns (with their Kafka
    /// provenance) and the bad ones with their reasons.
    public struct Decoded: Sendable {
        public var events: EventBatch
        public var rejected: [(source: Int, reason: String)]
    }

    public let spec: StreamSpec
    public let maxEventBytes: Int
    private let slots: JSONLinesImporter.Slots
    private var values: [JSONLineScanner.Value?]
    private var numbers: [Double]
    private var builder: EventBatchBuilder
    private var rejected: [(source: Int, reason: String)] = []

    public init(spec: StreamSpec, maxEventBytes: Int = 1 << 20) {
        self.spec = spec
        self.maxEventBytes = maxEventBytes
        slots = JSONLinesImporter.Slots(spec: spec)
        values = Array(repeating: nil, count: slots.names.count)
        numbers = Array(repeating: 0, count: spec.fields.count)
        builder = EventBatchBuilder(fieldNames: spec.fields, withEventIDs: true, withKafka: true)
    }

    /// Decodes one message. Without an id field in the spec (or with an empty
    /// one), the event id is `<partition>:<offset>`, unique within a topic.
    public mutating func append(_ payload: UnsafeRawBufferPointer, source: Int, partition: Int32, offset: Int64) {
        guard payload.count <= maxEventBytes else {
            rejected.append((source, "event is larger than \(maxEventBytes) bytes"))
            return
        }
        let b = UnsafeBufferPointer(start: payload.baseAddress?.assumingMemoryBound(to: UInt8.self), count: payload.count)
        do throws(RowAssembler.Rejection) {
            let row = try JSONLinesImporter.decode(b, slots: slots, values: &values, numbers: &numbers, spec: spec)
            let id = row.id.flatMap { $0.isEmpty ? nil : $0 } ?? "\(partition):\(offset)"
            numbers.withUnsafeBufferPointer {
                builder.append(
                    time: row.time, series: row.key ?? "", values: $0, eventID: id, partition: partition, offset: offset)
            }
        } catch {
            rejected.append((source, error.message))
        }
    }

    /// The events decoded since the last call.
    public mutating func take() -> Decoded {
        defer { rejected.removeAll(keepingCapacity: true) }
        return Decoded(events: builder.take(), rejected: rejected)
    }
}
