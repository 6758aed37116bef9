import Testing

@testable import AnomalyModels

/// Bad and awkward input: each has a defined outcome and a message that says what to do.
@Suite struct ForecastInputTests {
    @Test func tooLittleHistoryForTheSeasonalityIsAClearError() throws {
        var p = HourlySeries.parameters
        p.periodsMs = [86_400_000, 604_800_000]
        p.harmonics = [[3], [2]]
        let data = HourlySeries.columns(series: ["a"], days: 10, HourlySeries.daily)
        let error = #expect(throws: ModelError.self) { try SeasonalForecaster.fit(data, parameters: p) }
        guard case .insufficientHistory(let message)? = error else {
            Issue.record("expected insufficientHistory, got \(String(describing: error))")
            return
        }
        #expect(message.contains("10 d") && message.contains("7 d") && message.contains("2 cycles"), "\(message)")
    }

    @Test func constantSeriesIsFittedWithAFlooredScaleAndAWarning() throws {
        let data = HourlySeries.columns(series: ["flat", "wave"], days: 6) { s, h in s == 0 ? 42 : HourlySeries.daily(s, h) }
        let model = try SeasonalForecaster.fit(data, parameters: HourlySeries.parameters)
        #expect(model.metrics.constantTargets == 1)
        #expect(model.warnings.contains { $0.contains("'flat'") && $0.contains("constant") })
        var scorer = ForecastScorer(model: model)
        try scorer.warmUp(from: data)
        let next = HourlySeries.columns(series: ["flat"], days: 1, from: 6 * 24) { _, h in h == 6 * 24 + 3 ? 43 : 42 }
        var out = ForecastScores()
        try scorer.score(next, into: &out)
        #expect(abs(out.forecast[0][0] - 42) < 1e-6)
        #expect(out.anomaly[0].enumerated().allSatisfy { $0.element == ($0.offset == 3) })
        #expect(out.score[0].allSatisfy { (0...1).contains($0) })
    }

    /// A meter stuck at one value that comes alive in the window's last hours (validation's origins see little or
    /// no change before them) is fitted with data-driven defaults and scored, not refused.
    @Test(arguments: [3, 30])
    func aWindowFlatUntilItsLastHoursIsFittedWithTheDefaults(liveHours: Int) throws {
        let hours = 14 * 24
        let data = HourlySeries.columns(series: ["stuck", "wave"], days: 14) { s, h in
            s == 0 && h < hours - liveHours ? 42 : HourlySeries.daily(s, h)
        }
        let model = try SeasonalForecaster.fit(data)
        var scorer = ForecastScorer(model: model)
        try scorer.warmUp(from: data)
        var out = ForecastScores()
        try scorer.score(HourlySeries.columns(series: ["stuck", "wave"], days: 1, from: hours, HourlySeries.daily), into: &out)
        #expect(out.score[0].allSatisfy { (0...1).contains($0) })
    }

    @Test func allMissingSeriesIsUntrainedAndAllMissingDataIsAnError() throws {
        let data = HourlySeries.columns(series: ["ok", "dead"], days: 6) { s, h in s == 1 ? .nan : HourlySeries.daily(s, h) }
        let model = try SeasonalForecaster.fit(data, parameters: HourlySeries.parameters)
        #expect(model.metrics.untrainedTargets == 1)
        #expect(model.warnings.contains { $0.contains("'dead'") && $0.contains("not modelled") })
        var scorer = ForecastScorer(model: model)
        var out = ForecastScores()
        try scorer.score(HourlySeries.columns(series: ["ok", "dead"], days: 1, from: 144) { _, _ in 100 }, into: &out)
        #expect(out.status[0][0] == .scored && out.status[0][1] == .untrained)
        #expect(out.score[0][1].isNaN && !out.anomaly[0][1])

        let nothing = HourlySeries.columns(series: ["a", "b"], days: 6) { _, _ in .nan }
        let error = #expect(throws: ModelError.self) { try SeasonalForecaster.fit(nothing, parameters: HourlySeries.parameters) }
        #expect(error?.description.contains("every value is missing") == true)
        let empty = ForecastColumns(time: [], seriesCodes: [], seriesNames: [], fieldNames: ["load"], fields: [[]])
        #expect(throws: ModelError.emptyTrainingData) { try SeasonalForecaster.fit(empty, parameters: HourlySeries.parameters) }
    }

    @Test func missingValuesAtScoringAreForecastButNotScored() throws {
        let data = HourlySeries.columns(series: ["a"], days: 6, HourlySeries.daily)
        var scorer = ForecastScorer(model: try SeasonalForecaster.fit(data, parameters: HourlySeries.parameters))
        var out = ForecastScores()
        try scorer.score(HourlySeries.columns(series: ["a"], days: 1, from: 144) { _, _ in .nan }, into: &out)
        #expect(out.status[0].allSatisfy { $0 == .missingValue })
        #expect(out.forecast[0].allSatisfy(\.isFinite) && out.score[0].allSatisfy(\.isNaN))
    }

    @Test func unknownSeriesAtScoringIsReportedOnceAndSkipped() throws {
        let data = HourlySeries.columns(series: ["a", "b"], days: 6, HourlySeries.daily)
        var scorer = ForecastScorer(model: try SeasonalForecaster.fit(data, parameters: HourlySeries.parameters))
        let batch = HourlySeries.columns(series: ["new", "b"], days: 1, from: 144, HourlySeries.daily)
        var out = ForecastScores()
        try scorer.score(batch, into: &out)
        #expect(out.unknownSeries == ["new"])
        for row in 0..<batch.count {
            #expect(out.status[0][row] == (batch.seriesCodes[row] == 0 ? .unknownSeries : .scored))
        }
        #expect(out.anomaly[0].allSatisfy { !$0 })
    }

    @Test func timesThatAreNotEpochMillisecondsAreRejectedOrSkipped() throws {
        var data = HourlySeries.columns(series: ["a"], days: 6, HourlySeries.daily)
        var scorer = ForecastScorer(model: try SeasonalForecaster.fit(data, parameters: HourlySeries.parameters))
        var batch = HourlySeries.columns(series: ["a"], days: 1, from: 144, HourlySeries.daily)
        batch.time[3] = .min
        batch.time[4] = .max
        var out = ForecastScores()
        try scorer.score(batch, into: &out)
        #expect(out.status[0][3] == .invalidTime && out.status[0][4] == .invalidTime)
        #expect(out.status[0][5] == .scored && !out.anomaly[0][5])
        data.time[0] = .min
        let error = #expect(throws: ModelError.self) { try SeasonalForecaster.fit(data, parameters: HourlySeries.parameters) }
        #expect(error?.description.contains("not an epoch-millisecond time") == true)
    }

    @Test func batchWithoutTheModelsFieldIsAColumnMismatch() throws {
        let data = HourlySeries.columns(series: ["a"], days: 6, HourlySeries.daily)
        var scorer = ForecastScorer(model: try SeasonalForecaster.fit(data, parameters: HourlySeries.parameters))
        var batch = HourlySeries.columns(series: ["a"], days: 1, from: 144, HourlySeries.daily)
        batch.fieldNames = ["kwh"]
        var out = ForecastScores()
        #expect(throws: ModelError.columnMismatch(expected: ["load"], found: ["kwh"])) { try scorer.score(batch, into: &out) }
        batch.fields = []
        #expect(throws: ModelError.self) { try scorer.score(batch, into: &out) }
    }

    @Test func batchesWithTheirOwnDictionariesAreGatheredIntoOne() throws {
        var builder = ForecastColumnsBuilder(fieldNames: ["load"])
        try builder.append(
            ForecastColumns(time: [1, 2], seriesCodes: [0, 1], seriesNames: ["x", "y"], fieldNames: ["load"], fields: [[10, 20]]))
        try builder.append(
            ForecastColumns(
                time: [3, 4], seriesCodes: [0, 1], seriesNames: ["z", "x"], fieldNames: ["extra", "load"],
                fields: [[0, 0], [30, 40]]))
        let c = builder.columns
        #expect(c.seriesNames == ["x", "y", "z"] && c.seriesCodes == [0, 1, 2, 0])
        #expect(c.time == [1, 2, 3, 4] && c.fields == [[10, 20, 30, 40]])
        #expect(throws: ModelError.columnMismatch(expected: ["load"], found: ["kwh"])) {
            try builder.append(ForecastColumns(time: [5], seriesCodes: [0], seriesNames: ["x"], fieldNames: ["kwh"], fields: [[1]]))
        }
        #expect(throws: ModelError.self) {
            try builder.append(ForecastColumns(time: [5], seriesCodes: [3], seriesNames: ["x"], fieldNames: ["load"], fields: [[1]]))
        }
        #expect(builder.columns.count == 4)
    }

    @Test func badParametersAreRejectedByName() throws {
        var p = ForecastParameters()
        #expect(throws: ModelError.self) { try p.set("harmonics", "4/8") }
        #expect(throws: ModelError.self) { try p.set("lags", "x") }
        #expect(throws: ModelError.self) { try p.set("coverage", "1.5") }
        let unknown = #expect(throws: ModelError.self) { try p.set("seasons", "2") }
        #expect(unknown?.description.contains("unknown forecaster parameter 'seasons'") == true)
        try p.set("harmonics", "6,2/4")
        #expect(p.harmonics == [[6], [2, 4]])
        #expect(try ForecastParameters(settings: p.settings) == p)
    }

    @Test(arguments: ForecastAggregation.allCases)
    func irregularTimesGapsAndDuplicatesAreRegularised(aggregation: ForecastAggregation) throws {
        let h = HourlySeries.hour, t0 = HourlySeries.start
        // Cell 0: two events (one late in the hour), cell 1: none, cell 2: one event and a NaN.
        let data = ForecastColumns(
            time: [t0 + 50 * 60_000, t0 + 5 * 60_000, t0 + 2 * h + 1, t0 + 2 * h + 2], seriesCodes: [0, 0, 0, 0],
            seriesNames: ["a"], fieldNames: ["v"], fields: [[4, 2, 10, .nan]])
        let grid = try TargetGrid(data, fieldOrder: [0], cadenceMs: h, aggregation: aggregation)
        #expect(grid.cells == 3 && grid.firstCell == t0 / h)
        let v = grid.values.storage
        switch aggregation {
        case .mean: #expect(v[0] == 3 && v[1].isNaN && v[2] == 10)
        case .sum: #expect(v[0] == 6 && v[1].isNaN && v[2] == 10)
        case .last: #expect(v[0] == 4 && v[1].isNaN && v[2] == 10)
        case .count: #expect(v == [2, 0, 2])
        }
    }

    @Test func seriesThatStartedLateIsFittedOnItsObservedCellsOnly() throws {
        // "late" has no value for the first five of eight days: filling those would flatten its daily shape.
        let data = HourlySeries.columns(series: ["full", "late"], days: 8) { s, h in
            s == 1 && h < 5 * 24 ? .nan : HourlySeries.daily(s, h)
        }
        var scorer = ForecastScorer(model: try SeasonalForecaster.fit(data, parameters: HourlySeries.parameters))
        let next = HourlySeries.columns(series: ["full", "late"], days: 1, from: 8 * 24, HourlySeries.daily)
        var out = ForecastScores()
        try scorer.forecastAhead(next, into: &out)
        for row in 0..<next.count {
            #expect(abs(out.forecast[0][row] - next.fields[0][row]) < 1.5, "series \(next.seriesCodes[row]) row \(row)")
        }
    }

    @Test func fitRecoversASeasonalSeriesWithGapsAndJitter() throws {
        // Every sixth hour missing, times jittered inside their hour, one duplicate per day.
        var data = HourlySeries.columns(series: ["a"], days: 8) { s, h in h % 6 == 5 ? .nan : HourlySeries.daily(s, h) }
        for i in data.time.indices { data.time[i] += Int64(i * 37 % 3_000_000) }
        data.time.append(HourlySeries.start + 10 * HourlySeries.hour + 1)
        data.seriesCodes.append(0)
        data.fields[0].append(HourlySeries.daily(0, 10))
        let model = try SeasonalForecaster.fit(data, parameters: HourlySeries.parameters)
        var scorer = ForecastScorer(model: model)
        try scorer.warmUp(from: data)
        var out = ForecastScores()
        let next = HourlySeries.columns(series: ["a"], days: 1, from: 8 * 24, HourlySeries.daily)
        try scorer.score(next, into: &out)
        for row in 0..<next.count {
            #expect(abs(out.forecast[0][row] - next.fields[0][row]) < 1.5, "hour \(row)")
            #expect(out.lower[0][row] < out.forecast[0][row] && out.forecast[0][row] < out.upper[0][row])
        }
        #expect(!out.anomaly[0].contains(true))
    }
}
