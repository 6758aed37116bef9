/// Rows of one part waiting to be written, column by column, with series
/// already translated to the part's own dictionary codes.
struct PartFileBuffer {
    var time: [Int64] = []
    var series: [Int32] = []
    var fields: [[Double]]
    var eventIDs: [String]?
    var kafkaPartition: [Int32] = []
    var kafkaOffset: [Int64] = []

    init(fieldCount: Int, withEventIDs: Bool) {
        fields = Array(repeating: [], count: fieldCount)
        eventIDs = withEventIDs ? [] : nil
    }

    var count: Int { time.count }

    /// Appends row `row` of `batch`, whose series has part code `code`.
    mutating func append(_ batch: EventBatch, row: Int, code: Int32) {
        time.append(batch.time[row])
        series.append(code)
        for f in fields.indices { fields[f].append(batch.fields[f][row]) }
        if eventIDs != nil { eventIDs!.append(batch.eventIDs?[row] ?? "") }
        kafkaPartition.append(batch.kafkaPartition?[row] ?? -1)
        kafkaOffset.append(batch.kafkaOffset?[row] ?? -1)
    }

    mutating func removeAll() {
        time.removeAll(keepingCapacity: true)
        series.removeAll(keepingCapacity: true)
        for f in fields.indices { fields[f].removeAll(keepingCapacity: true) }
        if eventIDs != nil { eventIDs!.removeAll(keepingCapacity: true) }
        kafkaPartition.removeAll(keepingCapacity: true)
        kafkaOffset.removeAll(keepingCapacity: true)
    }
}
