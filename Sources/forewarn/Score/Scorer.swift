import AnomalyModels
import EventArchive

/// What a model says about the rows of one batch read from a file.
struct ScoredRows {
    var scores: [Double]
    var flags: [Bool]
    /// Forecast models only.
    var forecast: [Double]? = nil
    var lower: [Double]? = nil
    var upper: [Double]? = nil
}

/// A loaded model as offline scoring sees it: named input fields in, scores out.
/// A forecaster also needs each row's time and series and keeps per-series
/// state across batches, so rows must come in time order per series.
final class Scorer {
    let featureNames: [String]
    let timeField: String?
    let keyField: String?
    let isForecast: Bool
    private let scoreBatch: (FeatureTableBatch) -> ScoredRows

    private init(
        featureNames: [String], timeField: String?, keyField: String?, isForecast: Bool,
        score: @escaping (FeatureTableBatch) -> ScoredRows
    ) {
        self.featureNames = featureNames
        self.timeField = timeField
        self.keyField = keyField
        self.isForecast = isForecast
        scoreBatch = score
    }

    func score(_ batch: FeatureTableBatch) -> ScoredRows { scoreBatch(batch) }

    static func isolationForest(_ forest: IsolationForest) -> Scorer {
        Scorer(featureNames: forest.featureNames, timeField: nil, keyField: nil, isForecast: false) { batch in
            let x = FeatureMatrix(rows: batch.rows, columns: forest.featureNames.count, values: batch.values)
            let scores = forest.score(x)
            return ScoredRows(scores: scores, flags: forest.flags(scores))
        }
    }

    static func forecaster(_ model: SeasonalForecaster, timeField: String, keyField: String?) -> Scorer {
        var state = ForecastScorer(model: model)
        var out = ForecastScores()
        let d = model.fieldNames.count
        return Scorer(featureNames: model.fieldNames, timeField: timeField, keyField: keyField, isForecast: true) { batch in
            let n = batch.rows
            var codes: [String: Int32] = [:]
            var names: [String] = []
            var seriesCodes = [Int32](repeating: 0, count: n)
            for i in 0..<n {
                let key = batch.keys.isEmpty ? "" : batch.keys[i]
                if let code = codes[key] {
                    seriesCodes[i] = code
                } else {
                    codes[key] = Int32(names.count)
                    seriesCodes[i] = Int32(names.count)
                    names.append(key)
                }
            }
            var fields = [[Double]](repeating: [Double](repeating: .nan, count: n), count: d)
            for i in 0..<n where batch.isValid(i) { for f in 0..<d { fields[f][i] = batch.values[i * d + f] } }
            var rows = ScoredRows(
                scores: Array(repeating: .nan, count: n), flags: Array(repeating: false, count: n),
                forecast: Array(repeating: .nan, count: n), lower: Array(repeating: .nan, count: n),
                upper: Array(repeating: .nan, count: n))
            let columns = ForecastColumns(
                time: batch.times, seriesCodes: seriesCodes, seriesNames: names, fieldNames: model.fieldNames, fields: fields)
            guard (try? state.score(columns, into: &out)) != nil else { return rows }
            for f in 0..<d {
                for i in 0..<n where batch.isValid(i) && out.status[f][i] == .scored {
                    if rows.scores[i].isNaN || out.score[f][i] > rows.scores[i] {
                        rows.scores[i] = out.score[f][i]
                        rows.forecast?[i] = out.forecast[f][i]
                        rows.lower?[i] = out.lower[f][i]
                        rows.upper?[i] = out.upper[f][i]
                    }
                    if out.anomaly[f][i] { rows.flags[i] = true }
                }
            }
            return rows
        }
    }
}

/// Loads any kind of model file, dispatching on its `model_kind`. A forecaster
/// needs the stream's time field (and key field, for a keyed stream): from
/// the options, else from the model's provenance.
func loadScorer(path: String, timeField: String?, keyField: String?, provenance: [String: String]) throws -> Scorer {
    let kind = try ModelFileKind.read(from: path)
    switch kind {
    case IsolationForest.modelKind:
        return .isolationForest(try IsolationForest.load(from: path))
    case SeasonalForecaster.modelKind:
        guard let time = timeField ?? provenance["time_field"] else {
            throw CommandFailure("\(path) is a forecast model: name the input's time column with --time-field (and --key-field)")
        }
        return .forecaster(try SeasonalForecaster.load(from: path), timeField: time, keyField: keyField ?? provenance["key_field"])
    default:
        throw CommandFailure("\(path): this Forewarn cannot score models of kind '\(kind)'")
    }
}
