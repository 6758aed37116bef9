import AnomalyModels
import EventArchive
import Foundation
import Scoring

/// The held-out end of a training window, with the simulator's (or anyone's)
/// labels when the archive has them in `<stream>/_labels/*.csv`.
struct HoldoutSlice {
    var columns: ForecastColumns
    var labels: [Bool]
    var labelled: Int { labels.filter { $0 }.count }

    static func read(archive: String, stream: String, fields: [String], from: Int64, to: Int64) throws -> HoldoutSlice {
        let reader = try ArchiveReader(root: URL(fileURLWithPath: archive), stream: stream)
        var builder = ForecastColumnsBuilder(fieldNames: fields)
        _ = try reader.read(from: from, to: to, fields: fields) { try builder.append(ForecastColumns($0)) }
        let known = Self.labels(archive: archive, stream: stream)
        let c = builder.columns
        let labels = (0..<c.count).map { known.contains("\(c.seriesNames[Int(c.seriesCodes[$0])])@\(c.time[$0])") }
        return HoldoutSlice(columns: c, labels: labels)
    }

    /// "series@time" of every labelled anomaly of the stream.
    static func labels(archive: String, stream: String) -> Set<String> {
        let dir = "\(archive)/\(stream)/_labels"
        var out: Set<String> = []
        for file in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] where file.hasSuffix(".csv") {
            guard let text = try? String(contentsOfFile: "\(dir)/\(file)", encoding: .utf8) else { continue }
            for line in text.split(separator: "\n").dropFirst() {
                let cells = line.split(separator: ",", omittingEmptySubsequences: false)
                if cells.count >= 3 { out.insert("\(cells[0])@\(cells[2])") }
            }
        }
        return out
    }

    /// Rows as a row-major matrix of `fields`.
    var features: FeatureMatrix {
        let d = columns.fieldNames.count, n = columns.count
        var v = [Double](repeating: 0, count: n * d)
        for f in 0..<d { for i in 0..<n { v[i * d + f] = columns.fields[f][i] } }
        return FeatureMatrix(rows: n, columns: d, values: v)
    }
}

/// Scores a model on a holdout slice, the same way for the challenger and the champion.
enum Backtest {
    static func evaluate(modelAt path: String, history: ForecastColumns?, holdout: HoldoutSlice) throws -> [String: Double] {
        switch try ModelFileKind.read(from: path) {
        case IsolationForest.modelKind: return isolationForest(try IsolationForest.load(from: path), holdout)
        case SeasonalForecaster.modelKind:
            guard let history else { return [:] }
            return try forecaster(try SeasonalForecaster.load(from: path), history: history, holdout)
        default: return [:]
        }
    }

    static func isolationForest(_ forest: IsolationForest, _ holdout: HoldoutSlice) -> [String: Double] {
        let x = holdout.features
        guard x.columns == forest.columns, x.rows > 0 else { return [:] }
        let scores = forest.score(x)
        var out: [String: Double] = ["anomaly_rate": Double(forest.flags(scores).filter { $0 }.count) / Double(x.rows)]
        if let auc = rocAUC(scores: scores, labels: holdout.labels) { out["auc"] = auc }
        return out
    }

    static func forecaster(_ model: SeasonalForecaster, history: ForecastColumns, _ holdout: HoldoutSlice) throws -> [String: Double] {
        let a = try ForecastAccuracy.measure(model, history: history, heldOut: holdout.columns, labels: holdout.labels)
        var out = ["mase": a.mase, "naive_mase": a.naiveMASE, "coverage": a.coverage]
        if holdout.labelled > 0 {
            out["precision"] = a.precision
            out["recall"] = a.recall
        }
        return out.filter { $0.value.isFinite }
    }
}
