import HDF5Kit

/// Seasonal forecasters as self-sufficient HDF5 model files in the shared
/// envelope, readable with plain h5py; the layout is in docs/formats.md
/// ("Seasonal forecaster").
extension SeasonalForecaster {
    public static let modelKind = "seasonal-forecaster"

    /// Writes the model to `path` atomically (temporary file, fsync, rename), like every
    /// model file. `provenance` becomes `provenance_<key>` attributes.
    /// Throws `ModelWriteError` for a model `load` would reject, or on I/O failure.
    public func save(to path: String, provenance: [String: String] = [:]) throws {
        if let problem = validationProblem() {
            throw ModelWriteError(path: path, reason: "refusing to write an invalid model: \(problem)")
        }
        if provenance.keys.contains("") {
            throw ModelWriteError(path: path, reason: "provenance keys must not be empty")
        }
        try DurableFile.write(to: path) { temporary in
            let w = try ModelFileWriter(path: temporary, kind: Self.modelKind, provenance: provenance)
            try w.set("field_names", .strings(fieldNames))
            try w.set("parameters", .strings(parameters.settings))
            try w.set("cadence_ms", .int64(design.cadenceMs))
            try w.set("calendar_harmonics", .int64(Int64(design.calendarHarmonics)))
            try w.set("trend", .int32(design.trend ? 1 : 0))
            try w.set("trend_origin_cell", .int64(design.trendOriginCell))
            try w.set("trend_span_cells", .int64(design.trendSpanCells))
            try w.set("columns", .int64(Int64(design.columns)))
            try w.set("lags", .int64(Int64(lags)))
            try w.set("level_rate", .double(levelRate))
            try w.set("ridge", .double(ridge))
            try w.set("interval_z", .double(intervalZ))
            try w.set("coverage", .double(parameters.coverage))
            try w.set("threshold", .double(parameters.threshold))
            try w.set("shift_confirm", .int64(Int64(parameters.shiftConfirm)))
            let m = metrics
            try w.set("metric_training_cells", .int64(Int64(m.trainingCells)))
            try w.set("metric_first_cell", .int64(m.firstCell))
            try w.set("metric_untrained_targets", .int64(Int64(m.untrainedTargets)))
            try w.set("metric_constant_targets", .int64(Int64(m.constantTargets)))
            try w.set("metric_validation_folds", .int64(Int64(m.validationFolds)))
            try w.set("metric_validation_targets", .int64(Int64(m.validationTargets)))
            try w.set("metric_candidates_tried", .int64(Int64(m.candidatesTried)))
            try w.set("metric_validation_mase", .double(m.validationMASE))
            try w.set("metric_seasonal_naive_mase", .double(m.seasonalNaiveMASE))
            try w.set("metric_holdout_coverage", .double(m.holdoutCoverage))
            try w.strings("series_names", seriesNames)
            try w.strings("warnings", warnings)
            try w.strings("choices", choices)
            try w.dataset("design/periods_ms", design.periodsMs)
            try w.dataset("design/harmonics", design.harmonics.map(Int64.init))
            try w.dataset("targets/coefficients", coefficients)
            try w.dataset("targets/ar", phi)
            try w.dataset("targets/sigma", sigma)
            try w.dataset("targets/log_offset", logOffset)
            try w.dataset("targets/tail_quantiles", calibration.quantiles)
            try w.dataset("targets/tail_scale", calibration.tailScale)
            try w.dataset("targets/trained", trained.map(Int32.init))
            if let levelSigma, let levelCalibration {
                try w.dataset("targets/level_sigma", levelSigma)
                try w.dataset("targets/level_tail_quantiles", levelCalibration.quantiles)
                try w.dataset("targets/level_tail_scale", levelCalibration.tailScale)
            }
            if let horizon {
                try w.dataset("horizon/bucket_ends", horizon.bucketEnds.map(Int64.init))
                try w.dataset("horizon/coverages", HorizonCalibration.coverages)
                try w.dataset("horizon/half_width", horizon.halfWidths)
                try w.dataset("horizon/holdout_coverage", horizon.holdoutCoverage)
            }
            try w.close()
        }
    }

    /// Reads a model written by `save`, checking everything scoring relies on.
    /// Throws `ModelError.corruptModel` naming the attribute or dataset at fault,
    /// `.unsupportedVersion` for a newer format, and `.columnMismatch` when
    /// `expectingFields` differs from the model's fields.
    public static func load(from path: String, expectingFields: [String]? = nil) throws -> SeasonalForecaster {
        let r = try ModelFileReader(path: path, kind: modelKind)
        let fields = try r.strings("field_names")
        let parameters: ForecastParameters
        do { parameters = try ForecastParameters(settings: try r.strings("parameters")) } catch let e as ModelError {
            throw r.corrupt("attribute 'parameters' is unusable: \(e)")
        }
        guard try r.double("threshold") == parameters.threshold, try r.double("coverage") == parameters.coverage,
            try r.int("shift_confirm") == parameters.shiftConfirm
        else { throw r.corrupt("attributes 'threshold', 'coverage' and 'shift_confirm' disagree with 'parameters'") }
        let series = try r.stringDataset("series_names")
        let warnings = try r.stringDataset("warnings")
        let choices = try r.contains("choices") ? try r.stringDataset("choices") : []
        let cadence = try r.int("cadence_ms", in: 1...Int.max)
        let periodCount = try r.count("design/periods_ms")
        let periods = try r.dataset("design/periods_ms", Int64.self, count: periodCount, why: "one per period")
        let harmonics = try r.dataset("design/harmonics", Int64.self, count: periodCount, why: "one per period")
        guard harmonics.allSatisfy({ (0...100_000).contains($0) }), periods.allSatisfy({ $0 >= 2 * Int64(cadence) })
        else { throw r.corrupt("datasets 'design/periods_ms' and 'design/harmonics' hold out-of-range values") }
        let design = SeasonalDesign(
            cadenceMs: Int64(cadence), periodsMs: periods, harmonics: harmonics.map { Int($0) },
            calendarHarmonics: try r.int("calendar_harmonics", in: -1...100_000), trend: try r.int("trend", in: 0...1) == 1,
            trendOriginCell: Int64(try r.int("trend_origin_cell")),
            trendSpanCells: Int64(try r.int("trend_span_cells", in: 1...Int.max)))
        let columns = try r.int("columns")
        guard columns == design.columns else {
            throw r.corrupt("attribute 'columns' is \(columns) but the design has \(design.columns)")
        }
        let lags = try r.int("lags", in: 0...48)
        guard !fields.isEmpty, !series.isEmpty else { throw r.corrupt("no field or no series") }
        let (m, overflow) = series.count.multipliedReportingOverflow(by: fields.count)
        guard !overflow, m <= 1 << 40 else { throw r.corrupt("too many targets") }
        let why = "series × fields = \(series.count) × \(fields.count)"
        var metrics = ForecastMetrics()
        metrics.trainingCells = try r.int("metric_training_cells")
        metrics.firstCell = Int64(try r.int("metric_first_cell"))
        metrics.targets = m
        metrics.untrainedTargets = try r.int("metric_untrained_targets")
        metrics.constantTargets = try r.int("metric_constant_targets")
        metrics.validationFolds = try r.int("metric_validation_folds")
        metrics.validationTargets = try r.int("metric_validation_targets")
        metrics.candidatesTried = try r.int("metric_candidates_tried")
        metrics.validationMASE = try r.double("metric_validation_mase")
        metrics.seasonalNaiveMASE = try r.double("metric_seasonal_naive_mase")
        metrics.holdoutCoverage = try r.double("metric_holdout_coverage")
        let model = SeasonalForecaster(
            parameters: parameters, design: design, seriesNames: series, fieldNames: fields, lags: lags,
            levelRate: try r.double("level_rate"), ridge: try r.double("ridge"), intervalZ: try r.double("interval_z"),
            metrics: metrics, warnings: warnings, choices: choices,
            coefficients: try r.dataset("targets/coefficients", Double.self, count: m * columns, why: "\(why) × columns"),
            phi: try r.dataset("targets/ar", Double.self, count: m * lags, why: "\(why) × lags"),
            sigma: try r.dataset("targets/sigma", Double.self, count: m, why: why),
            calibration: try r.calibration("targets/tail", targets: m, why: why),
            levelSigma: try r.contains("targets/level_sigma")
                ? try r.dataset("targets/level_sigma", Double.self, count: m, why: why) : nil,
            levelCalibration: try r.calibration("targets/level_tail", targets: m, why: why),
            logOffset: try r.dataset("targets/log_offset", Double.self, count: m, why: why),
            trained: try r.dataset("targets/trained", Int32.self, count: m, why: why).map { UInt8(clamping: $0) },
            horizon: try r.horizon(fields: fields.count))
        try r.close()
        if let problem = model.validationProblem() { throw r.corrupt(problem) }
        if let expected = expectingFields, expected != fields {
            throw ModelError.columnMismatch(expected: fields, found: expected)
        }
        return model
    }

    /// Why this model could not be saved or scored as stored, or nil; names the file's attributes and datasets.
    func validationProblem() -> String? {
        let m = targets
        guard !fieldNames.isEmpty, !seriesNames.isEmpty else { return "no field or no series" }
        guard Set(seriesNames).count == seriesNames.count else { return "dataset 'series_names' repeats a name" }
        guard coefficients.count == m * design.columns, phi.count == m * lags, sigma.count == m,
            logOffset.count == m, trained.count == m
        else { return "a 'targets/' dataset has the wrong length" }
        if let problem = calibration.problem(targets: m) { return "datasets 'targets/tail_*': \(problem)" }
        if (levelSigma == nil) != (levelCalibration == nil) { return "datasets 'targets/level_*': only some are present" }
        if let levelCalibration, let problem = levelCalibration.problem(targets: m) {
            return "datasets 'targets/level_tail_*': \(problem)"
        }
        if let levelSigma {
            guard levelSigma.count == m else { return "dataset 'targets/level_sigma' has the wrong length" }
            if let i = levelSigma.indices.first(where: { trained[$0] == 1 && !(levelSigma[$0].isFinite && levelSigma[$0] > 0) }) {
                return "dataset 'targets/level_sigma' holds \(levelSigma[i]) at \(i)"
            }
        }
        if let horizon, let problem = horizon.problem(fields: fieldNames.count) {
            return "datasets 'horizon/*': \(problem)"
        }
        guard intervalZ.isFinite, intervalZ > 0 else { return "attribute 'interval_z' is \(intervalZ)" }
        guard (0..<1).contains(levelRate) else { return "attribute 'level_rate' is \(levelRate), outside [0, 1)" }
        if let i = trained.firstIndex(where: { $0 > 1 }) { return "dataset 'targets/trained' holds \(trained[i]) at \(i)" }
        for t in 0..<m where trained[t] == 1 {
            guard sigma[t].isFinite, sigma[t] > 0 else { return "dataset 'targets/sigma' holds \(sigma[t]) at \(t)" }
            guard logOffset[t].isNaN || (logOffset[t].isFinite && logOffset[t] > 0) else {
                return "dataset 'targets/log_offset' holds \(logOffset[t]) at \(t)"
            }
            let p = design.columns
            if coefficients[(t * p)..<(t * p + p)].contains(where: { !$0.isFinite }) {
                return "dataset 'targets/coefficients' holds a non-finite value for target \(t)"
            }
            if phi[(t * lags)..<(t * lags + lags)].contains(where: { !$0.isFinite }) {
                return "dataset 'targets/ar' holds a non-finite value for target \(t)"
            }
        }
        return nil
    }
}

extension ModelFileWriter {
    /// A 1-D dataset of variable-length UTF-8 strings (deflated).
    func strings(_ name: String, _ values: [String]) throws {
        let set = try file.createDataset(name, type: .string, chunkRows: max(1, min(values.count, 4_096)), deflateLevel: 4)
        try set.append(values)
    }
}

extension ModelFileReader {
    /// The tail calibration in `<prefix>_quantiles` and `<prefix>_scale`, or nil when the file has no `<prefix>_scale`.
    func calibration(_ prefix: String, targets m: Int, why: String) throws -> TailCalibration? {
        guard try contains("\(prefix)_scale") else { return nil }
        let k = TailCalibration.levels.count
        return TailCalibration(
            quantiles: try dataset("\(prefix)_quantiles", Double.self, count: m * k, why: "\(why) × \(k) levels"),
            tailScale: try dataset("\(prefix)_scale", Double.self, count: m, why: why))
    }

    /// The horizon calibration in `horizon/`, or nil when the file has none (it predates it, or was fitted
    /// without validation folds).
    func horizon(fields: Int) throws -> HorizonCalibration? {
        guard try contains("horizon/bucket_ends") else { return nil }
        let buckets = try count("horizon/bucket_ends")
        guard (1...64).contains(buckets) else { throw corrupt("dataset 'horizon/bucket_ends' holds \(buckets) buckets") }
        let levels = HorizonCalibration.coverages
        guard try dataset("horizon/coverages", Double.self, count: levels.count, why: "the calibrated coverages") == levels
        else { throw corrupt("dataset 'horizon/coverages' is not \(levels)") }
        let ends = try dataset("horizon/bucket_ends", Int64.self, count: buckets, why: "one per bucket")
        guard ends.allSatisfy({ (1...Int64(Int32.max)).contains($0) }) else {
            throw corrupt("dataset 'horizon/bucket_ends' holds out-of-range steps")
        }
        return HorizonCalibration(
            bucketEnds: ends.map { Int($0) },
            halfWidths: try dataset(
                "horizon/half_width", Double.self, count: fields * buckets * levels.count,
                why: "fields × buckets × \(levels.count) coverages"),
            holdoutCoverage: try dataset("horizon/holdout_coverage", Double.self, count: buckets, why: "one per bucket"),
            fields: fields)
    }

    /// The number of elements of a 1-D dataset that must exist.
    func count(_ name: String) throws -> Int {
        guard try contains(name) else { throw corrupt("dataset '\(name)' is missing") }
        do { return try file.openDataset(name).count() } catch let error as HDF5Error {
            throw corrupt("cannot read dataset '\(name)' (\(error.detail))")
        }
    }

    /// A whole 1-D dataset of strings.
    func stringDataset(_ name: String) throws -> [String] {
        guard try contains(name) else { throw corrupt("dataset '\(name)' is missing") }
        do { return try file.openDataset(name).readStrings() } catch let error as HDF5Error {
            throw corrupt("cannot read dataset '\(name)' as strings (\(error.detail))")
        }
    }
}
