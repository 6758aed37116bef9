/// Gathers batches that each carry their own series dictionary (as archive
/// reads and Kafka batches do) into one `ForecastColumns` with a single
/// dictionary, to fit on or warm up from.
public struct ForecastColumnsBuilder: Sendable {
    public private(set) var columns: ForecastColumns
    private var codes: [String: Int32] = [:]

    /// `fieldNames`: the fields to keep, in this order; every appended batch must have them.
    public init(fieldNames: [String]) {
        columns = ForecastColumns(
            time: [], seriesCodes: [], seriesNames: [], fieldNames: fieldNames, fields: fieldNames.map { _ in [] })
    }

    /// Appends every row of `batch`, re-coding its series into the shared dictionary.
    /// Throws `ModelError.columnMismatch` when the batch lacks a field, `.badParameter`
    /// when its columns are inconsistent.
    public mutating func append(_ batch: ForecastColumns) throws {
        if let problem = batch.shapeProblem() { throw ModelError.badParameter("batch to gather: \(problem)") }
        let fieldNames = columns.fieldNames
        let source = try fieldNames.map { name in
            guard let i = batch.fieldNames.firstIndex(of: name) else {
                throw ModelError.columnMismatch(expected: fieldNames, found: batch.fieldNames)
            }
            return i
        }
        let recode = batch.seriesNames.map { name -> Int32 in
            if let code = codes[name] { return code }
            let code = Int32(columns.seriesNames.count)
            codes[name] = code
            columns.seriesNames.append(name)
            return code
        }
        columns.time += batch.time
        columns.seriesCodes += batch.seriesCodes.map { recode[Int($0)] }
        for (k, f) in source.enumerated() { columns.fields[k] += batch.fields[f] }
    }
}
