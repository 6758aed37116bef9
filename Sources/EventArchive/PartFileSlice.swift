/// Consecutive rows of one part as read from disk, before time filtering.
struct PartFileSlice {
    var time: [Int64]
    var series: [Int32]
    var fields: [[Double]]
    var eventIDs: [String]?
    var kafkaPartition: [Int32]
    var kafkaOffset: [Int64]

    /// The rows with time in [from, to) as an `EventBatch` whose dictionary
    /// holds only the series present. `remap` (part code -> batch code, all -1
    /// on entry and on return) is reused across slices to avoid reallocating
    /// a dictionary-sized table per batch.
    func batch(
        fieldNames: [String], names: [String], from: Int64?, to: Int64?, remap: inout [Int32]
    ) -> EventBatch {
        var out = EventBatch(fieldNames: fieldNames)
        out.reserveCapacity(time.count)
        if eventIDs != nil { out.eventIDs = [] }
        var kp: [Int32] = [], ko: [Int64] = []
        var used: [Int] = []
        for row in time.indices {
            let t = time[row]
            if let from, t < from { continue }
            if let to, t >= to { continue }
            let code = Int(series[row])
            if remap[code] < 0 {
                remap[code] = Int32(out.seriesNames.count)
                out.seriesNames.append(names[code])
                used.append(code)
            }
            out.time.append(t)
            out.seriesCodes.append(remap[code])
            for f in fields.indices { out.fields[f].append(fields[f][row]) }
            if let ids = eventIDs { out.eventIDs!.append(ids[row]) }
            kp.append(kafkaPartition[row])
            ko.append(kafkaOffset[row])
        }
        for code in used { remap[code] = -1 }
        out.kafkaPartition = kp
        out.kafkaOffset = ko
        return out
    }
}
