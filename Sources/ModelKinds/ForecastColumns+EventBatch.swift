import AnomalyModels
import EventArchive

extension ForecastColumns {
    /// The columns of an event batch, shared, not copied.
    public init(_ batch: EventBatch) {
        self.init(
            time: batch.time, seriesCodes: batch.seriesCodes, seriesNames: batch.seriesNames,
            fieldNames: batch.fieldNames, fields: batch.fields)
    }

    /// The fields as a row-major matrix (the isolation forest's layout), in `order` (default: all, as they are).
    public func matrix(_ order: [Int]? = nil) -> FeatureMatrix {
        let columns = order ?? Array(fields.indices)
        let d = columns.count, n = count
        var values = [Double](repeating: 0, count: n * d)
        values.withUnsafeMutableBufferPointer { out in
            for (j, c) in columns.enumerated() {
                fields[c].withUnsafeBufferPointer { column in
                    for i in 0..<n { out[i * d + j] = column[i] }
                }
            }
        }
        return FeatureMatrix(rows: n, columns: d, values: values)
    }
}

extension EventBatch {
    /// The batch's series and fields as forecaster columns, shared, not copied.
    public var columns: ForecastColumns { ForecastColumns(self) }

    /// An event batch of forecaster columns (no event ids).
    public init(_ columns: ForecastColumns) {
        self.init(
            fieldNames: columns.fieldNames, time: columns.time, seriesCodes: columns.seriesCodes,
            seriesNames: columns.seriesNames, fields: columns.fields)
    }
}
