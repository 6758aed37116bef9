import AnomalyModels
import EventArchive
import Foundation
import Scoring

/// A freshly fitted model of any kind, as `forewarn train` reports and stores it.
struct FittedModel {
    var save: (_ path: String, _ provenance: [String: String]) throws -> Void
    var parameters: [String: String]
    var metrics: [String: Double]
    /// Lines for the human report, after the common header.
    var lines: [String]
    /// Members for the JSON report.
    var json: [String: Any]
    var notes: [String] = []
    /// Adds the model's own sections to the training report.
    var addToReport: (inout TrainingReport) -> Void = { _ in }
}

extension FittedModel {
    static func isolationForest(_ data: TrainingData, settings: [String], seed: UInt64?) throws -> FittedModel {
        var p = try IsolationForestParameters(settings: settings)
        if let seed { p.seed = seed }
        let forest = try IsolationForest.fit(data.features, featureNames: data.fieldNames, parameters: p)
        var fitted = isolationForest(forest, rows: data.features)
        if data.features.rows < p.sampleSize {
            fitted.notes.append("\(data.features.rows) training rows, fewer than sample_size \(p.sampleSize): each tree uses all of them")
        }
        return fitted
    }

    /// A fitted (or merged) forest, with training figures measured on `rows`.
    static func isolationForest(_ forest: IsolationForest, rows: FeatureMatrix) -> FittedModel {
        let metrics = forest.trainingMetrics(on: rows)
        return FittedModel(
            save: { path, provenance in try forest.save(to: path, provenance: provenance) },
            parameters: forest.parameters.settings, metrics: metrics,
            lines: [
                "fields     \(forest.featureNames.joined(separator: ", "))",
                "trees      \(forest.treeCount) x depth \(forest.depth), \(forest.samplesPerTree) rows each\(forest.isExtended ? ", hyperplane cuts" : "")",
                String(format: "threshold  %.4f (flags %.2f%% of the training rows)", forest.threshold, 100 * (metrics["train_anomaly_rate"] ?? 0)),
            ],
            json: [
                "fields": forest.featureNames, "trees": forest.treeCount, "depth": forest.depth,
                "samples_per_tree": forest.samplesPerTree, "extended": forest.isExtended, "threshold": forest.threshold,
            ],
            addToReport: { report in
                report.histogram("Training score distribution", forest.score(rows.evenSample(50_000)), threshold: forest.threshold)
            })
    }

    static func forecaster(_ data: ForecastTrainingData, settings: [String], window: Range<Int64>? = nil) throws -> FittedModel {
        let p = try ForecastParameters(settings: settings)
        return forecaster(try SeasonalForecaster.fit(data.columns, fields: data.fieldNames, parameters: p, window: window))
    }

    /// A fitted (or merged) forecaster.
    static func forecaster(_ model: SeasonalForecaster) -> FittedModel {
        let p = model.parameters
        let m = model.metrics
        let metrics: [String: Double] = [
            "validation_mase": m.validationMASE, "seasonal_naive_mase": m.seasonalNaiveMASE,
            "holdout_coverage": m.holdoutCoverage, "series": Double(model.seriesNames.count),
            "untrained_targets": Double(m.untrainedTargets), "constant_targets": Double(m.constantTargets),
        ]
        var parameters: [String: String] = [:]
        for item in p.settings {
            if let eq = item.firstIndex(of: "=") { parameters[String(item[..<eq])] = String(item[item.index(after: eq)...]) }
        }
        return FittedModel(
            save: { path, provenance in try model.save(to: path, provenance: provenance) },
            parameters: parameters, metrics: metrics,
            lines: [
                "fields     \(model.fieldNames.joined(separator: ", ")) for \(model.seriesNames.count) series",
                "design     \(model.design.columns) shared columns, \(model.lags) lags, ridge \(model.ridge)",
                String(format: "accuracy   validation MASE %.3f (seasonal naive %.3f), held-out %.0f%% interval coverage %.1f%%",
                    m.validationMASE, m.seasonalNaiveMASE, 100 * p.coverage, 100 * m.holdoutCoverage),
            ],
            json: ["fields": model.fieldNames, "series": model.seriesNames.count, "warnings": model.warnings],
            notes: model.warnings)
    }
}

extension FeatureMatrix {
    /// At most `limit` rows, evenly spaced (every row when there are no more).
    func evenSample(_ limit: Int) -> FeatureMatrix {
        let stride = max(1, (rows + limit - 1) / limit)
        guard stride > 1 else { return self }
        return FeatureMatrix(
            rows: (rows + stride - 1) / stride, columns: columns,
            values: Swift.stride(from: 0, to: rows, by: stride).flatMap { r in values[(r * columns)..<((r + 1) * columns)] })
    }
}

/// A window of the archive as per-series columns, for the forecaster.
struct ForecastTrainingData {
    var columns: ForecastColumns
    var fieldNames: [String]
    var report: ReadReport

    static func read(
        archive: String, stream: String, fields: [String]?, from: Int64?, to: Int64?, strict: Bool,
        keep: ((String) -> Bool)? = nil
    ) throws -> ForecastTrainingData {
        let reader = try ArchiveReader(root: URL(fileURLWithPath: archive), stream: stream)
        var builder: ForecastColumnsBuilder?
        let progress = Progress("reading \(stream) from the archive")
        let report = try reader.read(from: from, to: to, fields: fields, strict: strict) { whole in
            let batch = keep.map { whole.keeping(series: $0) } ?? whole
            if builder == nil { builder = ForecastColumnsBuilder(fieldNames: batch.fieldNames) }
            try builder?.append(ForecastColumns(batch))
            progress.update(builder?.columns.count ?? 0, "rows")
        }
        progress.finish("\(builder?.columns.count ?? 0) rows")
        guard let columns = builder?.columns, columns.count > 0 else { throw ModelError.emptyTrainingData }
        return ForecastTrainingData(columns: columns, fieldNames: columns.fieldNames, report: report)
    }
}
