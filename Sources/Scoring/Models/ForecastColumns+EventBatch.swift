import AnomalyModels
import EventArchive

extension ForecastColumns {
    /// The columns of an event batch, shared, not copied.
    public init(_ batch: EventBatch) {
        self.init(
            time: batch.time, seriesCodes: batch.seriesCodes, seriesNames: batch.seriesNames,
            fieldNames: batch.fieldNames, fields: batch.fields)
    }
}
