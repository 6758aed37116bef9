import EventArchive
import Foundation
import ModelKinds
import ModelRegistry
import Scoring
import Testing

/// `forewarn forecast`: a forecaster warmed on the archive forecasts each series ahead with nested bands.
@Suite struct HorizonForecastTests {
    @Test func eachSeriesGetsOneRowPerStepAndFieldWithNestedBandsThatHoldTheNextHour() throws {
        let meters = try SimulatedMeters(series: 3, days: 3)
        try meters.train("fc", kind: SeasonalForecasterKind())
        let path = try Registry(root: meters.registry).verifiedModelPath(name: "fc", version: 1)
        let f = try HorizonForecast.run(
            modelAt: path, archive: meters.archive, stream: meters.spec.stream, series: [], from: nil, horizonMs: 3_600_000,
            coverages: [0.8, 0.95])
        #expect(f.skipped.isEmpty && f.archiveProblems.isEmpty)
        #expect(f.from == meters.live.time.min(), "the step after the archive's last event")
        #expect(f.rows.count == 3 * 12 * 2, "3 series × 12 steps of 5 minutes × 2 fields")
        var inside = 0, compared = 0
        for row in f.rows {
            #expect(row.lower[1] <= row.lower[0] && row.lower[0] <= row.forecast && row.forecast <= row.upper[0] && row.upper[0] <= row.upper[1])
            let field = meters.live.fieldNames.firstIndex(of: row.field)!
            for i in 0..<meters.live.count where meters.live.time[i] == row.time && meters.live.series(at: i) == row.series {
                compared += 1
                let v = meters.live.fields[field][i]
                if v >= row.lower[1] && v <= row.upper[1] { inside += 1 }
            }
        }
        #expect(compared == f.rows.count)

        // Written as CSV and JSON lines, with a series name that needs quoting in both.
        var odd = f
        odd.rows = Array(f.rows.prefix(2)).map { var r = $0; r.series = "m \"7\", north"; return r }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try HorizonForecastWriter.write(odd, ownCoverage: false, json: true, to: dir.appendingPathComponent("f.jsonl").path)
        let lines = try String(contentsOf: dir.appendingPathComponent("f.jsonl"), encoding: .utf8).split(separator: "\n")
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(lines.count == 2 && first["series"] as? String == "m \"7\", north" && first["lower_0.95"] is Double)
        try HorizonForecastWriter.write(odd, ownCoverage: false, json: false, to: dir.appendingPathComponent("f.csv").path)
        let csv = try String(contentsOf: dir.appendingPathComponent("f.csv"), encoding: .utf8).split(separator: "\n")
        #expect(csv[0] == "series,ts,field,forecast,lower_0.8,upper_0.8,lower_0.95,upper_0.95")
        #expect(csv[1].hasPrefix("\"m \"\"7\"\", north\","))
        #expect(Double(inside) / Double(compared) >= 0.75, "\(inside) of \(compared) actual values inside the 95% band")
    }

    @Test func unknownOrHistorylessSeriesAreSkippedByNameAndAForestIsRefused() throws {
        let meters = try SimulatedMeters(series: 2, days: 3)
        try meters.train("fc", kind: SeasonalForecasterKind())
        try meters.train("if", kind: IsolationForestKind())
        let registry = Registry(root: meters.registry)
        let path = try registry.verifiedModelPath(name: "fc", version: 1)
        let known = meters.live.series(at: 0)
        let f = try HorizonForecast.run(
            modelAt: path, archive: meters.archive, stream: meters.spec.stream, series: [known, "nowhere"], from: nil,
            horizonMs: 600_000, coverages: [])
        #expect(f.skipped.map(\.series) == ["nowhere"] && f.rows.allSatisfy { $0.series == known } && f.rows.count == 2 * 2)
        #expect(f.coverages.count == 1, "the model's own coverage")
        let later = try HorizonForecast.run(
            modelAt: path, archive: meters.archive, stream: meters.spec.stream, series: [], from: f.from + 30 * 86_400_000,
            horizonMs: 600_000, coverages: [0.9])
        #expect(later.rows.isEmpty && later.skipped.count == 2 && later.skipped.allSatisfy { $0.reason.contains("archived events") })
        #expect(throws: OfflineScoringError.self) {
            try HorizonForecast.run(
                modelAt: try registry.verifiedModelPath(name: "if", version: 1), archive: meters.archive,
                stream: meters.spec.stream, series: [], from: nil, horizonMs: 600_000, coverages: [])
        }
        #expect(throws: OfflineScoringError.self) {
            try HorizonForecast.run(
                modelAt: path, archive: meters.archive, stream: meters.spec.stream, series: [], from: nil, horizonMs: 1_000,
                coverages: [])
        }
    }
}
