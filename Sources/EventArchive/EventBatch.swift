/// A batch of events of one stream, held column by column.
///
/// Columns are plain arrays so that models, the archive and the Kafka decoder
/// all read and write them without per-event objects. Series keys are
/// dictionary-encoded: `seriesCodes[row]` indexes `seriesNames`, which keeps
/// the hot path free of string comparisons.
public struct EventBatch: Sendable, Equatable {
    /// Names of the numeric fields, in column order.
    public var fieldNames: [String]
    /// Event time, milliseconds since the Unix epoch, UTC.
    public var time: [Int64]
    /// Series of each row, as an index into `seriesNames`.
    public var seriesCodes: [Int32]
    /// The distinct series keys of this batch (the single series is `""`).
    public var seriesNames: [String]
    /// `fields[f][row]` is field `fieldNames[f]` of row `row`.
    public var fields: [[Double]]
    /// Event ids, when the stream spec names an id field.
    public var eventIDs: [String]?
    /// Kafka provenance, when the events came from Kafka.
    public var kafkaPartition: [Int32]?
    public var kafkaOffset: [Int64]?

    public init(
        fieldNames: [String], time: [Int64] = [], seriesCodes: [Int32] = [], seriesNames: [String] = [],
        fields: [[Double]]? = nil, eventIDs: [String]? = nil,
        kafkaPartition: [Int32]? = nil, kafkaOffset: [Int64]? = nil
    ) {
        self.fieldNames = fieldNames
        self.time = time
        self.seriesCodes = seriesCodes
        self.seriesNames = seriesNames
        self.fields = fields ?? Array(repeating: [], count: fieldNames.count)
        self.eventIDs = eventIDs
        self.kafkaPartition = kafkaPartition
        self.kafkaOffset = kafkaOffset
    }

    public var count: Int { time.count }
    public var isEmpty: Bool { time.isEmpty }

    /// The series key of a row.
    public func series(at row: Int) -> String { seriesNames[Int(seriesCodes[row])] }

    /// Reserves room for `n` more rows in every column.
    public mutating func reserveCapacity(_ n: Int) {
        time.reserveCapacity(time.count + n)
        seriesCodes.reserveCapacity(seriesCodes.count + n)
        for f in fields.indices { fields[f].reserveCapacity(fields[f].count + n) }
        if let have = eventIDs?.count { eventIDs!.reserveCapacity(have + n) }
    }

    /// The rows whose indices are given, in that order, as a new batch with a compacted dictionary.
    public func rows(_ indices: some Collection<Int>) -> EventBatch {
        var out = EventBatch(fieldNames: fieldNames)
        out.reserveCapacity(indices.count)
        var remap = [Int32](repeating: -1, count: seriesNames.count)
        if eventIDs != nil { out.eventIDs = [] }
        if kafkaPartition != nil { out.kafkaPartition = []; out.kafkaOffset = [] }
        for i in indices {
            out.time.append(time[i])
            let code = Int(seriesCodes[i])
            if remap[code] < 0 {
                remap[code] = Int32(out.seriesNames.count)
                out.seriesNames.append(seriesNames[code])
            }
            out.seriesCodes.append(remap[code])
            for f in fields.indices { out.fields[f].append(fields[f][i]) }
            if let ids = eventIDs { out.eventIDs!.append(ids[i]) }
            if let p = kafkaPartition, let o = kafkaOffset {
                out.kafkaPartition!.append(p[i]); out.kafkaOffset!.append(o[i])
            }
        }
        return out
    }
}

/// Builds an `EventBatch` row by row, interning series keys.
public struct EventBatchBuilder {
    public private(set) var batch: EventBatch
    private var codes: [String: Int32] = [:]

    public init(fieldNames: [String], withEventIDs: Bool, withKafka: Bool = false) {
        batch = EventBatch(fieldNames: fieldNames)
        if withEventIDs { batch.eventIDs = [] }
        if withKafka { batch.kafkaPartition = []; batch.kafkaOffset = [] }
    }

    public var count: Int { batch.count }

    /// Appends one row; `values` must hold one value per field, in order.
    public mutating func append(
        time: Int64, series: String, values: UnsafeBufferPointer<Double>, eventID: String? = nil,
        partition: Int32 = -1, offset: Int64 = -1
    ) {
        let code: Int32
        if let known = codes[series] {
            code = known
        } else {
            code = Int32(batch.seriesNames.count)
            codes[series] = code
            batch.seriesNames.append(series)
        }
        batch.time.append(time)
        batch.seriesCodes.append(code)
        for f in 0..<batch.fields.count { batch.fields[f].append(values[f]) }
        if batch.eventIDs != nil { batch.eventIDs!.append(eventID ?? "") }
        if batch.kafkaPartition != nil {
            batch.kafkaPartition!.append(partition)
            batch.kafkaOffset!.append(offset)
        }
    }

    public mutating func append(time: Int64, series: String, values: [Double], eventID: String? = nil) {
        values.withUnsafeBufferPointer { append(time: time, series: series, values: $0, eventID: eventID) }
    }

    /// Returns the batch built so far and starts a new, empty one with the same shape.
    public mutating func take() -> EventBatch {
        var fresh = EventBatch(fieldNames: batch.fieldNames)
        if batch.eventIDs != nil { fresh.eventIDs = [] }
        if batch.kafkaPartition != nil { fresh.kafkaPartition = []; fresh.kafkaOffset = [] }
        let out = batch
        batch = fresh
        codes.removeAll(keepingCapacity: true)
        return out
    }
}
