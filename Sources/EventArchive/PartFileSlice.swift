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
    ///
    /// A slice wholly inside the window (the common case: windows cut whole
    /// hours) hands its columns over without copying; otherwise the kept rows
    /// are gathered column by column.
    consuming func batch(
        fieldNames: [String], names: [String], from: Int64?, to: Int64?, remap: inout [Int32]
    ) -> EventBatch {
        var lo = Int64.max, hi = Int64.min
        for t in time {
            lo = min(lo, t)
            hi = max(hi, t)
        }
        let inside = (from.map { lo >= $0 } ?? true) && (to.map { hi < $0 } ?? true)
        var out = EventBatch(fieldNames: fieldNames)
        var used: [Int] = []
        var codes: [Int32]
        if inside {
            codes = series
            out.time = time
            out.fields = fields
            out.eventIDs = eventIDs
            out.kafkaPartition = kafkaPartition
            out.kafkaOffset = kafkaOffset
        } else {
            let lower = from ?? .min, upper = to ?? .max
            let keep = time.indices.filter { time[$0] >= lower && time[$0] < upper }
            func gather<T>(_ column: [T]) -> [T] { keep.map { column[$0] } }
            codes = gather(series)
            out.time = gather(time)
            out.fields = fields.map(gather)
            out.eventIDs = eventIDs.map(gather)
            out.kafkaPartition = gather(kafkaPartition)
            out.kafkaOffset = gather(kafkaOffset)
        }
        codes.withUnsafeMutableBufferPointer { c in
            for row in c.indices {
                let code = Int(c[row])
                if remap[code] < 0 {
                    remap[code] = Int32(out.seriesNames.count)
                    out.seriesNames.append(names[code])
                    used.append(code)
                }
                c[row] = remap[code]
            }
        }
        out.seriesCodes = codes
        for code in used { remap[code] = -1 }
        return out
    }
}
