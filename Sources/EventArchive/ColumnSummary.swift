/// Running per-field statistics over batches.
public struct ColumnSummary: Sendable {
    public struct Field: Sendable {
        public var min = Double.infinity, max = -Double.infinity, sum = 0.0, count = 0, nan = 0
        public var mean: Double { count > 0 ? sum / Double(count) : .nan }
    }
    public var fieldNames: [String] = []
    public var fields: [Field] = []
    public var series = Set<String>()
    public var rows = 0
    public var timeMin = Int64.max, timeMax = Int64.min

    public init() {}

    public mutating func add(_ batch: EventBatch) {
        if fields.isEmpty { fieldNames = batch.fieldNames; fields = Array(repeating: Field(), count: batch.fieldNames.count) }
        rows += batch.count
        for t in batch.time { timeMin = Swift.min(timeMin, t); timeMax = Swift.max(timeMax, t) }
        series.formUnion(batch.seriesNames)
        for f in batch.fields.indices {
            var acc = fields[f]
            for v in batch.fields[f] {
                if v.isNaN { acc.nan += 1; continue }
                acc.count += 1; acc.sum += v
                if v < acc.min { acc.min = v }
                if v > acc.max { acc.max = v }
            }
            fields[f] = acc
        }
    }
}
