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
            ("bogus=1", "context, timezone, alarm_rate"),
        ] {
            let error = #expect(throws: ModelError.self) { try kind.canonicalParameters([bad], seed: nil) }
            #expect("\(error.map { "\($0)" } ?? "")".contains(says), "\(bad)")
        }
        let canonical = try kind.canonicalParameters([], seed: nil)
        #expect(canonical.contains("context=fields,profile,diff,std:12") && canonical.contains("contamination=none"))
        #expect(try kind.canonicalParameters(["contamination=0.02"], seed: nil).contains("contamination=0.02"))
    }

    /// Canonical settings (what the registry records, what shards re-read) mean what the settings they came from meant.
    @Test func canonicalSettingsParseBackToTheSameSettings() throws {
        for given in [[], ["contamination=0.02"], ["threshold=0.7", "context=none"], ["alarm_rate=1e-4", "timezone=Europe/Berlin"]] {
            let canonical = try IsolationForestKind().canonicalParameters(given, seed: 4)
            #expect(try ForestSettings(canonical, seed: nil) == ForestSettings(given, seed: 4), "\(given)")
        }
    }

    static func slice(_ c: ForecastColumns, _ r: Range<Int>) -> ForecastColumns {
        ForecastColumns(
            time: Array(c.time[r]), seriesCodes: Array(c.seriesCodes[r]), seriesNames: c.seriesNames,
            fieldNames: c.fieldNames, fields: c.fields.map { Array($0[r]) })
    }
}
