import EventArchive
import Foundation
import ModelKinds
import ModelRegistry

/// A model file's failure to score offline, said as the command prints it.
public struct OfflineScoringError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// A loaded model as offline scoring sees it: rows of a file in, predictions out, through the
/// same scoring adapter `serve` uses (so the same events score the same). A stateful model
/// keeps its per-series state across the file's batches, so rows must come in time order per series.
public final class OfflineScorer {
    public let model: any ScoringModel
    /// The input's time and series key columns (stateful models).
    public let timeField: String?
    public let keyField: String?
    /// How the time column reads: the trained stream's `time_format` and `timezone` unless overridden.
    public let timeReader: TimeReader
    private let state: ScoringState?
    private var incidents = IncidentTracker()

    public var featureNames: [String] { model.featureNames }
    public var forecasts: Bool { model.forecasts }
    public var attributes: Bool { model.attributes }

    public init(model: any ScoringModel, timeField: String?, keyField: String?, timeReader: TimeReader = .auto) {
        self.model = model
        self.timeReader = timeReader
        self.timeField = timeField
        self.keyField = keyField
        state = model.makeState(warmingUpOn: nil)
    }

    /// Loads any kind of model file through `kinds`. A stateful model (a forecaster) needs the input's
    /// time field (and key field, for a keyed stream): from the arguments, else from the model's provenance.
    /// The time column reads as `timeFormat`/`timeZone`, else as the trained stream's (`time_format`, `timezone`
    /// in the provenance), else as RFC 3339 or epoch milliseconds.
    /// `allDrivers`: an isolation forest attributes every row, every driver ranked, not only the flagged rows' top three.
    public static func load(
        path: String, timeField: String?, keyField: String?, provenance: [String: String], kinds: ModelKinds = .standard,
        timeFormat: String? = nil, timeZone: String? = nil, allDrivers: Bool = false
    ) throws -> OfflineScorer {
        var model: any ScoringModel
        do { model = try kinds.load(path: path).model } catch let error as ModelKindError {
            throw OfflineScoringError("\(path): this Forewarn cannot score it: \(error)")
        }
        if allDrivers, var forest = model as? IsolationForestScoring {
            forest.attributeAll = true
            model = forest
        }
        guard model.makeState(warmingUpOn: nil) != nil else { return OfflineScorer(model: model, timeField: nil, keyField: nil) }
        guard let time = timeField ?? provenance["time_field"] else {
            throw OfflineScoringError(
                "\(path) scores each event against its series' recent past (a forecaster, or a forest with context "
                    + "features): name the input's time column with --time-field (and --key-field for a keyed stream)")
        }
        let reader: TimeReader
        do {
            let format = try TimeFormat(parsing: timeFormat ?? provenance[StreamSpec.timeFormatKey] ?? "auto")
            reader = try TimeReader(format: format, timeZone: timeZone ?? provenance[StreamSpec.timeZoneKey] ?? "UTC")
        } catch { throw OfflineScoringError("\(path): \(error)") }
        return OfflineScorer(
            model: model, timeField: time, keyField: keyField ?? provenance["key_field"], timeReader: reader)
    }

    /// Scores one batch of rows; rows that could not be read get no prediction.
    public func score(_ batch: FeatureTableBatch) -> PredictionColumns {
        let events = Self.events(batch, fields: model.featureNames)
        var out = model.score(events, columns: Array(model.featureNames.indices), state: state)
        for i in batch.invalid.keys {
            out.score[i] = .nan
            out.anomaly[i] = false
            out.forecast?[i] = .nan
            out.lower?[i] = .nan
            out.upper?[i] = .nan
            out.explanation?.clear(i)
        }
        incidents.mark(events, &out)
        return out
    }

    /// The rows as an event batch of `fields`, series coded in order of appearance.
    static func events(_ batch: FeatureTableBatch, fields: [String]) -> EventBatch {
        let n = batch.rows, d = fields.count
        var codes: [String: Int32] = [:]
        var names: [String] = []
        var seriesCodes = [Int32](repeating: 0, count: n)
        if !batch.keys.isEmpty {
            for i in 0..<n {
                let key = batch.keys[i]
                if let code = codes[key] {
                    seriesCodes[i] = code
                } else {
                    codes[key] = Int32(names.count)
                    seriesCodes[i] = Int32(names.count)
                    names.append(key)
                }
            }
        } else {
            names = [""]
        }
        var columns = [[Double]](repeating: [Double](repeating: .nan, count: n), count: d)
        batch.values.withUnsafeBufferPointer { values in
            for f in 0..<d { for i in 0..<n { columns[f][i] = values[i * d + f] } }
        }
        let times = batch.times.count == n ? batch.times : [Int64](repeating: 0, count: n)
        return EventBatch(fieldNames: fields, time: times, seriesCodes: seriesCodes, seriesNames: names, fields: columns)
    }
}
