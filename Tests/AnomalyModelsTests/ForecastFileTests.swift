import Foundation
import HDF5Kit
import Testing

@testable import AnomalyModels

/// Forecaster model files: bit-identical round trips, h5py reading them as
/// docs/formats.md documents, and rejection of damaged or mismatched files.
@Suite struct ForecastFileTests {
    static let series = ["north", "south ✓", "east"]

    static func model() throws -> SeasonalForecaster {
        let data = HourlySeries.columns(series: series, days: 7) { s, h in
            s == 2 && h % 50 == 7 ? .nan : HourlySeries.daily(s, h)
        }
        return try SeasonalForecaster.fit(data, parameters: HourlySeries.parameters)
    }

    static func scores(_ model: SeasonalForecaster) throws -> ForecastScores {
        var scorer = ForecastScorer(model: model)
        try scorer.warmUp(from: HourlySeries.columns(series: series, days: 2, from: 5 * 24, HourlySeries.daily))
        var out = ForecastScores()
        try scorer.score(HourlySeries.columns(series: series, days: 1, from: 7 * 24) { s, h in
            h % 9 == 0 ? 300 : HourlySeries.daily(s, h)
        }, into: &out)
        return out
    }

    @Test func roundTripScoresBitIdentically() throws {
        let tmp = try TempDir()
        let path = tmp.path("model.h5")
        let model = try Self.model()
        try model.save(to: path, provenance: ["stream": "meters"])
        let loaded = try SeasonalForecaster.load(from: path, expectingFields: ["load"])
        #expect(loaded.parameters == model.parameters && loaded.design == model.design)
        #expect(loaded.seriesNames == Self.series && loaded.metrics == model.metrics && loaded.warnings == model.warnings)
        let a = try Self.scores(model), b = try Self.scores(loaded)
        #expect(a.forecast[0].map(\.bitPattern) == b.forecast[0].map(\.bitPattern))
        #expect(a.upper[0].map(\.bitPattern) == b.upper[0].map(\.bitPattern))
        #expect(a.score[0].map(\.bitPattern) == b.score[0].map(\.bitPattern))
        #expect(a.anomaly[0] == b.anomaly[0] && a.anomaly[0].contains(true))
        #expect(try tmp.contents() == ["model.h5"])
    }

    @Test func damagedAndMismatchedFilesAreRejected() throws {
        let tmp = try TempDir()
        let path = tmp.path("model.h5")
        try Self.model().save(to: path)
        #expect(throws: ModelError.columnMismatch(expected: ["load"], found: ["kwh"])) {
            try SeasonalForecaster.load(from: path, expectingFields: ["kwh"])
        }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let truncated = tmp.path("truncated.h5")
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: truncated))
        expectCorrupt(truncated, mentioning: "HDF5")
        expectCorrupt(tmp.path("missing.h5"), mentioning: "does not exist")

        let forest = try IsolationForest.fit(
            FeatureMatrix(rows: 4, columns: 1, values: [1, 2, 3, 4]), featureNames: ["load"],
            parameters: IsolationForestParameters())
        let other = tmp.path("forest.h5")
        try forest.save(to: other)
        expectCorrupt(other, mentioning: "model_kind")

        let file = try HDF5File(path: path, mode: .readWrite)
        try file.setAttribute("interval_z", .double(-1))
        try file.close()
        expectCorrupt(path, mentioning: "interval_z")

        let retuned = tmp.path("retuned.h5")
        try Self.model().save(to: retuned)
        let edit = try HDF5File(path: retuned, mode: .readWrite)
        try edit.setAttribute("threshold", .double(9))
        try edit.close()
        expectCorrupt(retuned, mentioning: "disagree with 'parameters'")
    }

    @Test func invalidModelIsNeverWritten() throws {
        let tmp = try TempDir()
        let m = try Self.model()
        let broken = SeasonalForecaster(
            parameters: m.parameters, design: m.design, seriesNames: m.seriesNames, fieldNames: m.fieldNames,
            lags: m.lags, levelRate: m.levelRate, ridge: m.ridge, intervalZ: m.intervalZ, metrics: m.metrics,
            warnings: m.warnings, coefficients: m.coefficients, phi: m.phi,
            sigma: m.sigma.map { _ in 0 }, logOffset: m.logOffset, trained: m.trained)
        let error = #expect(throws: ModelWriteError.self) { try broken.save(to: tmp.path("m.h5")) }
        #expect(error?.reason.contains("targets/sigma") == true)
        #expect(try tmp.contents().isEmpty)
    }

    @Test(.enabled(if: Python.available))
    func h5pyForecastsAsDocumented() throws {
        let tmp = try TempDir()
        let path = tmp.path("model.h5")
        let model = try Self.model()
        try model.save(to: path)
        let next = HourlySeries.columns(series: Self.series, days: 1, from: 7 * 24, HourlySeries.daily)
        var out = ForecastScores()
        var scorer = ForecastScorer(model: model)
        try scorer.score(next, into: &out)
        let tail = """

            import json
            rows = [seasonal_forecast(s, "load", t) for s in series for t in \(Array(Set(next.time)).sorted())]
            print(json.dumps([[float(v) for v in r] for r in rows]))
            """
        let output = try Python.run(
            try Python.documentedScorer(heading: "### Seasonal forecast with h5py and numpy") + tail, [path])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[Double]])
        let times = Array(Set(next.time)).sorted()
        for row in 0..<next.count {
            let s = Int(next.seriesCodes[row])
            let py = rows[s * times.count + times.firstIndex(of: next.time[row])!]
            // A fresh scorer's first forecast of each series carries no level or lags yet.
            guard next.time[row] == times[0] else { continue }
            for (k, swift) in [out.forecast[0][row], out.lower[0][row], out.upper[0][row]].enumerated() {
                #expect(abs(py[k] - swift) <= 1e-9 * max(1, abs(swift)), "series \(s): numpy \(py[k]) vs \(swift)")
            }
        }
        #expect(rows.count == Self.series.count * times.count && rows.allSatisfy { $0[1] < $0[0] && $0[0] < $0[2] })
    }

    func expectCorrupt(_ path: String, mentioning text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let error = #expect(throws: ModelError.self, sourceLocation: sourceLocation) {
            try SeasonalForecaster.load(from: path)
        }
        guard case .corruptModel(let p, let reason)? = error else {
            Issue.record("expected corruptModel, got \(String(describing: error))", sourceLocation: sourceLocation)
            return
        }
        #expect(p == path && reason.contains(text), "reason: \(reason)", sourceLocation: sourceLocation)
    }
}
