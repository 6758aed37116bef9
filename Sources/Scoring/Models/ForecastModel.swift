import AnomalyModels
import EventArchive
import Foundation

/// Per-series forecaster state owned by the pipeline: the scorer's recent
/// values and levels, and reusable output columns.
final class ForecastState: ScoringState {
    var scorer: ForecastScorer
    var scores = ForecastScores()

    init(_ scorer: ForecastScorer) { self.scorer = scorer }
}

/// A seasonal forecaster as the scorer uses it: one step ahead from each
/// series' recent values. A fresh state is warmed from the archive's most
/// recent days, so the first forecasts after a start or a rebalance are as
/// good as a long-running scorer's.
struct ForecastModel: LoadedModel {
    let name: String
    let version: Int
    let model: SeasonalForecaster
    /// Reads recent history for warm-up; nil when no archive is configured.
    let history: (@Sendable () -> ForecastColumns?)?

    var kind: String { SeasonalForecaster.modelKind }
    var featureNames: [String] { model.fieldNames }

    func makeState() -> ScoringState? {
        var scorer = ForecastScorer(model: model)
        if let recent = history?() { try? scorer.warmUp(from: recent) }
        return ForecastState(scorer)
    }

    /// Per event, the field whose value is furthest outside its forecast speaks for the event:
    /// its score, its forecast and interval; the event is an anomaly when any field is.
    func score(_ events: EventBatch, columns: [Int], state: ScoringState?) -> PredictionColumns {
        let n = events.count
        var out = PredictionColumns(
            score: Array(repeating: .nan, count: n), anomaly: Array(repeating: false, count: n),
            forecast: Array(repeating: .nan, count: n), lower: Array(repeating: .nan, count: n),
            upper: Array(repeating: .nan, count: n))
        guard let state = state as? ForecastState else { return out }
        do { try state.scorer.score(ForecastColumns(events), into: &state.scores) } catch { return out }
        let s = state.scores
        for f in s.fieldNames.indices {
            for i in 0..<n where s.status[f][i] == .scored || s.status[f][i] == .missingValue {
                let score = s.score[f][i]
                if out.score[i].isNaN || score > out.score[i] {
                    out.score[i] = score
                    out.forecast?[i] = s.forecast[f][i]
                    out.lower?[i] = s.lower[f][i]
                    out.upper?[i] = s.upper[f][i]
                }
                if s.anomaly[f][i] { out.anomaly[i] = true }
            }
        }
        return out
    }
}

extension ForecastModel {
    /// The last `days` of the stream in the archive (ending at its newest part), as forecaster columns.
    static func archiveHistory(root: String, stream: String, fields: [String], days: Int = 2) -> (@Sendable () -> ForecastColumns?) {
        {
            guard let reader = try? ArchiveReader(root: URL(fileURLWithPath: root), stream: stream),
                let newest = try? reader.parts().parts.map(\.timeMax).max()
            else { return nil }
            var builder = ForecastColumnsBuilder(fieldNames: fields)
            _ = try? reader.read(from: newest - Int64(days) * 86_400_000, fields: fields) { batch in
                try builder.append(ForecastColumns(batch))
            }
            return builder.columns.count > 0 ? builder.columns : nil
        }
    }
}
