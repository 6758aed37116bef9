import AnomalyModels
import EventArchive
import Foundation
import ModelKinds
import Testing

/// The isolation forest with context features, as training and every scoring path use it.
@Suite struct ContextForestTests {
    /// Four meters, five days at 5 minutes: a daily cycle per meter, multiplicative noise; rows in time order.
    static func meters(days: Int = 5, start: Int64 = 1_767_225_600_000) -> ForecastColumns {
        var state: UInt64 = 11
        func noise() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53) - 0.5
        }
        var time: [Int64] = [], codes: [Int32] = [], kwh: [Double] = []
        for step in 0..<(days * 288) {
            for s in 0..<4 {
                let t = Int64(step) * 300_000
                let hour = Double(t % 86_400_000) / 3_600_000
                time.append(start + t)
                codes.append(Int32(s))
                kwh.append(Double(s + 1) * (1 + 0.8 * sin(2 * .pi * (hour - 6) / 24)) * exp(0.1 * noise()))
            }
        }
        return ForecastColumns(
            time: time, seriesCodes: codes, seriesNames: ["a", "b", "c", "d"], fieldNames: ["kwh"], fields: [kwh])
    }

    static func model(_ settings: [String] = []) throws -> IsolationForestScoring {
        let fitted = try IsolationForestKind().fit(meters(), settings: settings + ["trees=50"], seed: 1)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ctx-\(UUID().uuidString).h5").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try fitted.save(path, [:])
        return try #require(try IsolationForestKind().load(path: path) as? IsolationForestScoring)
    }

    @Test func theDefaultForestSeesItsSeriesInContextAndSavesIt() throws {
        let scoring = try Self.model()
        #expect(scoring.featureNames == ["kwh"])
        #expect(scoring.forest.featureNames == ["kwh", "kwh:profile", "kwh:diff", "kwh:std12"])
        #expect(scoring.warmUpSpan > 0)
        #expect(scoring.forest.alarmRate == 1e-3)
        #expect(scoring.forest.calibration != nil)
        let plain = try Self.model(["context=none"])
        #expect(plain.forest.featureNames == ["kwh"] && plain.forest.context == nil && plain.warmUpSpan == 0)
    }

    /// The same live events, scored in batches of any size by a scorer warmed up on the archive, get the
    /// scores an offline pass over history and events together gives them.
    @Test func onlineAndOfflineScoresAgree() throws {
        let scoring = try Self.model()
        let day = Self.meters(days: 6)
        let liveStart = 5 * 288 * 4
        let history = EventBatch(Self.slice(day, 0..<liveStart))
        let live = Self.slice(day, liveStart..<day.count)
        let offlineState = scoring.makeState(warmingUpOn: nil)
        let everything = scoring.score(EventBatch(day), columns: [0], state: offlineState)
        let state = scoring.makeState(warmingUpOn: history)
        var online: [Double] = []
        var start = 0, size = 1
        while start < live.count {
            let end = min(live.count, start + size)
            online += scoring.score(EventBatch(Self.slice(live, start..<end)), columns: [0], state: state).score
            start = end
            size = size * 3 % 97 + 1
        }
        #expect(online.map(\.bitPattern) == everything.score[liveStart...].map(\.bitPattern))
    }

    @Test func aValueNormalInTheEveningIsFlaggedAtNight() throws {
        let scoring = try Self.model()
        let data = Self.meters(days: 6)
        let state = scoring.makeState(warmingUpOn: EventBatch(Self.slice(data, 0..<(5 * 288 * 4))))
        // Meter d peaks near 7.2 at noon; 7.2 at midnight of day 6 is far off its profile.
        let midnight = data.time[5 * 288 * 4]
        let probe = ForecastColumns(
            time: [midnight, midnight + 12 * 3_600_000], seriesCodes: [3, 3], seriesNames: ["a", "b", "c", "d"],
            fieldNames: ["kwh"], fields: [[7.2, 7.2]])
        let out = scoring.score(EventBatch(probe), columns: [0], state: state)
        #expect(out.anomaly[0])
        #expect(!out.anomaly[1])
        #expect(out.score[0] > out.score[1])
        let drivers = try #require(out.drivers)
        #expect(drivers.list(0).first?.name == "kwh" && drivers.list(1).isEmpty)
        #expect(abs(drivers.list(0).reduce(0) { $0 + $1.share } - 1) < 1e-9, "one field: all the credit")
    }

    @Test func badSettingsAreRefusedByName() throws {
        let kind = IsolationForestKind()
        for (bad, says) in [
            ("timezone=Nowhere/Land", "timezone"), ("context=median:3", "context"), ("alarm_rate=2", "alarm_rate"),
            ("daily_profile=maybe", "daily_profile=maybe: expected auto, on or off"),
            ("bogus=1", "context, timezone, daily_profile, alarm_rate"),
        ] {
            let error = #expect(throws: ModelError.self) { try kind.canonicalParameters([bad], seed: nil) }
            #expect("\(error.map { "\($0)" } ?? "")".contains(says), "\(bad)")
        }
        let canonical = try kind.canonicalParameters([], seed: nil)
        #expect(canonical.contains("context=fields,profile,diff,std:12") && canonical.contains("contamination=none"))
        #expect(canonical.contains("daily_profile=auto"))
        #expect(try kind.canonicalParameters(["contamination=0.02"], seed: nil).contains("contamination=0.02"))
    }

    /// Training says which profile the context follows and why, and `daily_profile=` overrides it.
    @Test func theFitSaysWhetherItsProfileFollowsTheHourOfDay() throws {
        let kind = IsolationForestKind()
        let daily = try kind.fit(Self.meters(), settings: [], seed: 1).lines.joined(separator: "\n")
        #expect(daily.contains("hourly profile: autocorrelation"), "\(daily)")
        let flat = try kind.fit(Self.meters(), settings: ["daily_profile=off"], seed: 1).lines.joined(separator: "\n")
        #expect(flat.contains("flat profile: daily_profile=off"), "\(flat)")
        let short = try kind.fit(Self.meters(days: 1), settings: [], seed: 1).lines.joined(separator: "\n")
        #expect(short.contains("flat profile: the window spans"), "\(short)")
    }

    /// Canonical settings (what the registry records, what shards re-read) mean what the settings they came from meant.
    @Test func canonicalSettingsParseBackToTheSameSettings() throws {
        for given in [[], ["contamination=0.02"], ["threshold=0.7", "context=none"], ["alarm_rate=1e-4", "timezone=Europe/Berlin"], ["daily_profile=off"]] {
            let canonical = try IsolationForestKind().canonicalParameters(given, seed: 4)
            #expect(try ForestSettings(canonical, seed: nil) == ForestSettings(given, seed: 4), "\(given)")
        }
    }

    /// Odd windows fit or are refused by name, and odd events score or come back unscored: nothing crashes.
    @Test func oddDataNeverCrashesTheContextForest() throws {
        let kind = IsolationForestKind()
        let t0: Int64 = 1_767_225_600_000
        func columns(_ values: [[Double]], times: [Int64]? = nil, series: [Int32]? = nil) -> ForecastColumns {
            let n = values[0].count
            return ForecastColumns(
                time: times ?? (0..<n).map { t0 + Int64($0) * 300_000 }, seriesCodes: series ?? [Int32](repeating: 0, count: n),
                seriesNames: ["a", "b"], fieldNames: (0..<values.count).map { "f\($0)" }, fields: values)
        }
        let windows: [(String, ForecastColumns)] = [
            ("one event", columns([[1]])),
            ("a constant series", columns([[Double](repeating: 5, count: 500)])),
            ("a field never seen", columns([[Double](repeating: .nan, count: 300), (0..<300).map(Double.init)])),
            ("infinities and negatives", columns([(0..<400).map { (i: Int) -> Double in i % 7 == 0 ? Double.infinity : i % 11 == 0 ? -3.0 : Double(i % 13) }])),
            ("one timestamp for all", columns([(0..<300).map { Double($0 % 5) }], times: [Int64](repeating: t0, count: 300))),
            ("times out of order", columns([(0..<300).map { Double($0 % 5) }], times: (0..<300).map { t0 - Int64($0) * 60_000 })),
        ]
        for (what, data) in windows {
            let fitted: FittedModel
            do { fitted = try kind.fit(data, settings: ["trees=10", "context=fields,profile,diff,std:5,calendar"], seed: 1) } catch {
                #expect(error is ModelError, "\(what): \(error)")
                continue
            }
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("odd-\(UUID().uuidString).h5").path
            defer { try? FileManager.default.removeItem(atPath: path) }
            try fitted.save(path, [:])
            let scoring = try #require(try kind.load(path: path) as? IsolationForestScoring, "\(what)")
            let probe = EventBatch(
                columns(
                    data.fields.map { _ in [.nan, .infinity, -1e300, 1e300] }, times: [t0, .max / 2, .min / 2, t0],
                    series: [0, 1, 0, 1]))
            let out = scoring.score(probe, columns: Array(data.fieldNames.indices), state: scoring.makeState(warmingUpOn: EventBatch(data)))
            #expect(out.score.count == 4 && out.anomaly.count == 4, "\(what)")
            // The extreme times a zone's offset could overflow.
            let c = try #require(scoring.forest.context)
            var berlin = ContextFeatures(
                context: StreamContext(
                    spec: ContextSpec(features: c.spec.features, timeZone: "Europe/Berlin"), fields: c.fields, seriesNames: c.seriesNames,
                    slots: c.slots, profile: c.profile, scale: c.scale, logOffset: c.logOffset, cadenceMs: c.cadenceMs))
            let extremes = ForecastColumns(
                time: [.max, .min, 0, -1], seriesCodes: [0, 1, 0, 1], seriesNames: ["a", "b"], fieldNames: data.fieldNames,
                fields: data.fields.map { _ in [1, 2, 3, 4] })
            #expect(berlin.matrix(extremes, fieldColumns: Array(data.fieldNames.indices)).rows == 4)
            #expect(out.score.allSatisfy { $0.isNaN || (0...1).contains($0) }, "\(what): \(out.score)")
        }
    }

    static func slice(_ c: ForecastColumns, _ r: Range<Int>) -> ForecastColumns {
        ForecastColumns(
            time: Array(c.time[r]), seriesCodes: Array(c.seriesCodes[r]), seriesNames: c.seriesNames,
            fieldNames: c.fieldNames, fields: c.fields.map { Array($0[r]) })
    }
}
