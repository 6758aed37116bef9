import Evaluation
import Foundation
import Testing

@Suite struct RollingForecastBenchTests {
    static let start: Int64 = 1_577_836_800_000  // 2020-01-01T00:00:00Z
    static let hour: Int64 = 3_600_000

    /// `days` of an hourly daily cycle with a little deterministic noise, a few missing values and two labelled
    /// rows, as a benchmark CSV.
    static func seasonalCSV(days: Int) -> String {
        var lines = ["timestamp,value,label"]
        for i in 0..<(days * 24) {
            let t = start + Int64(i) * hour
            let v = 10 + 3 * sin(2 * Double.pi * Double(i % 24) / 24) + 0.2 * sin(Double(i) * 1.7)
            lines.append("\(t),\(i % 50 == 7 ? "" : String(v)),\(i == 200 || i == 260 ? 1 : 0)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func evaluatesASeasonalSeriesAndSkipsAShortOne() throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        try folder.write("kpi/seasonal.csv", Self.seasonalCSV(days: 12))
        try folder.write("kpi/short.csv", Self.seasonalCSV(days: 4))
        var bench = RollingForecastBench()
        bench.root = folder.path
        bench.origins = 5
        #expect(bench.problem() == nil)
        let result = try bench.run(set: "kpi", child: nil, scratch: folder.path)
        #expect(result.candidates == 2)
        #expect(result.evaluated == ["seasonal"])
        #expect(result.skipped.map(\.series) == ["short"])
        #expect(result.skipped.first?.reason.kind == "too short")
        #expect(result.cadencesMs == [Self.hour])
        let (method, f) = try #require(result.figures.first)
        #expect(method == "forewarn" && result.figures.count == 1)
        #expect(f.series == 1 && f.origins == 5 && f.failedOrigins == 0)
        #expect(f.mase.isFinite && f.mase > 0 && f.mase < 3, "\(f.mase)")
        for c in f.coverage + f.bucketCoverage.flatMap({ $0 }) { #expect((0...1).contains(c)) }
        #expect(f.coverage[0] <= f.coverage[1])
        #expect(f.cpuPerSeries > 0)
    }

    @Test func originsAreTheLastDayBoundariesAfterEnoughHistory() throws {
        let time = (0..<(11 * 24)).map { Self.start + Int64($0) * Self.hour }
        let o = try RollingOrigins(time: time, count: 7, minimumHistoryMs: 2 * RollingOrigins.day)
        #expect(o.cadenceMs == Self.hour && o.steps == 24)
        #expect(o.origins == (4..<11).map { Self.start + Int64($0) * RollingOrigins.day })
        #expect(throws: RollingSkip.self) { try RollingOrigins(time: time, count: 10, minimumHistoryMs: 2 * RollingOrigins.day) }
        #expect(throws: RollingSkip.self) { try RollingOrigins(time: [Self.start], count: 1, minimumHistoryMs: 0) }
        let odd = (0..<100).map { Self.start + Int64($0) * 7 * Self.hour }
        #expect(throws: RollingSkip("cadence", "7 h does not divide a day")) {
            try RollingOrigins(time: odd, count: 1, minimumHistoryMs: 0)
        }
    }

    @Test func settingsOutsideTheirRangesAreNamed() {
        var bench = RollingForecastBench()
        bench.sets = ["kpi", "nope"]
        #expect(bench.problem()?.contains("unknown set 'nope'") == true)
        bench.sets = ["kpi"]
        bench.origins = 0
        #expect(bench.problem()?.contains("--origins") == true)
        bench.origins = 7
        bench.historyDays = 1
        #expect(bench.problem()?.contains("--history-days") == true)
    }

    @Test func constantAndMissingSeriesAreSkippedNotCrashedOn() throws {
        let folder = try TestFolder()
        defer { folder.remove() }
        var lines = ["timestamp,a,b,label"]
        for i in 0..<(12 * 24) { lines.append("\(Self.start + Int64(i) * Self.hour),5,,0") }
        try folder.write("asd/flat_test.csv", lines.joined(separator: "\n") + "\n")
        try folder.write("asd/flat_train.csv", "timestamp,a,b\n\(Self.start - Self.hour),5,\n")
        var bench = RollingForecastBench()
        bench.root = folder.path
        let result = try bench.run(set: "asd", child: nil, scratch: folder.path)
        #expect(result.evaluated.isEmpty)
        #expect(result.skipped.map(\.series) == ["flat/a", "flat/b"])
        #expect(result.skipped.allSatisfy { $0.reason.kind == "constant" })
        #expect(result.figures.first?.figures.origins == 0)
    }
}
