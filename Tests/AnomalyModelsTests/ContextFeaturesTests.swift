import Foundation
import Testing

@testable import AnomalyModels

/// Context features: one implementation for training and scoring, so rows agree however events are batched.
@Suite struct ContextFeaturesTests {
    static let day: Int64 = 86_400_000
    static let cadence: Int64 = 300_000

    /// `series` meters over `days` days at 5 minutes, a daily cycle scaled per meter, multiplicative noise,
    /// and a field `v` near 230; rows in time order.
    static func meters(series: Int = 3, days: Int = 3, seed: UInt64 = 5) -> ForecastColumns {
        var rng = RandomSource(seed: seed)
        var time: [Int64] = [], codes: [Int32] = [], kwh: [Double] = [], v: [Double] = []
        for step in 0..<(Int64(days) * day / cadence) {
            for s in 0..<series {
                let t = step * cadence
                let hour = Double(t % day) / 3_600_000
                let base = Double(s + 1) * (1 + 0.8 * sin(2 * .pi * (hour - 6) / 24))
                time.append(1_767_225_600_000 + t)
                codes.append(Int32(s))
                kwh.append(base * exp(0.05 * rng.normal()))
                v.append(230 + rng.normal())
            }
        }
        return ForecastColumns(
            time: time, seriesCodes: codes, seriesNames: (0..<series).map { "m\($0)" }, fieldNames: ["kwh", "v"],
            fields: [kwh, v])
    }

    static func slice(_ c: ForecastColumns, _ r: Range<Int>) -> ForecastColumns {
        ForecastColumns(
            time: Array(c.time[r]), seriesCodes: Array(c.seriesCodes[r]), seriesNames: c.seriesNames,
            fieldNames: c.fieldNames, fields: c.fields.map { Array($0[r]) })
    }

    static func bits(_ a: [Double]) -> [UInt64] { a.map { $0.isNaN ? Double.nan.bitPattern : $0.bitPattern } }

    static let spec = ContextSpec(
        features: [.fields, .calendar, .profile, .diff, .lag(3), .window(.mean, 4), .window(.std, 5), .window(.min, 3), .window(.max, 3)])

    @Test func rowsAreTheSameInOneBatchOrInMany() throws {
        let data = Self.meters()
        let context = try StreamContext.fit(data, spec: Self.spec, spanMs: 3 * Self.day)
        var whole = ContextFeatures(context: context)
        let all = whole.matrix(data, fieldColumns: [0, 1])
        var rng = RandomSource(seed: 9)
        var pieces = ContextFeatures(context: context)
        var start = 0, rows: [Double] = []
        while start < data.count {
            let end = min(data.count, start + 1 + rng.below(700))
            rows += pieces.matrix(Self.slice(data, start..<end), fieldColumns: [0, 1]).values
            start = end
        }
        #expect(Self.bits(rows) == Self.bits(all.values))
        #expect(all.columns == context.featureNames.count)
        #expect(context.featureNames.prefix(6) == ["kwh", "v", "hour_sin", "hour_cos", "weekday_sin", "weekday_cos"])
    }

    @Test func aWarmedUpScorerBuildsTheRowsOfOneThatSawEverything() throws {
        let data = Self.meters()
        let context = try StreamContext.fit(data, spec: Self.spec, spanMs: 3 * Self.day)
        let cut = data.count - 300
        var continuous = ContextFeatures(context: context)
        let all = continuous.matrix(data, fieldColumns: [0, 1])
        var fresh = ContextFeatures(context: context)
        // History handed over in reverse order: warm-up sorts it by time.
        let history = Self.slice(data, (cut - 60)..<cut)
        let reversed = ForecastColumns(
            time: history.time.reversed(), seriesCodes: history.seriesCodes.reversed(), seriesNames: history.seriesNames,
            fieldNames: history.fieldNames, fields: history.fields.map { $0.reversed() })
        try fresh.warmUp(from: reversed)
        let tail = fresh.matrix(Self.slice(data, cut..<data.count), fieldColumns: [0, 1])
        #expect(Self.bits(tail.values) == Self.bits(Array(all.values[(cut * all.columns)...])))
    }

    @Test func theProfileTellsAnEveningValueAtNightFromTheSameValueInTheEvening() throws {
        let data = Self.meters(series: 1, days: 4)
        let context = try StreamContext.fit(data, spec: ContextSpec(features: [.profile]), spanMs: 4 * Self.day)
        #expect(context.slots == 24)
        var f = ContextFeatures(context: context)
        let midnight = 1_767_225_600_000 + 4 * Self.day
        // The cycle peaks at 12:00 (about 1.8) and bottoms at 00:00 (about 0.2).
        let probe = ForecastColumns(
            time: [midnight + 12 * 3_600_000, midnight + 24 * 3_600_000], seriesCodes: [0, 0], seriesNames: ["m0"],
            fieldNames: ["kwh", "v"], fields: [[1.8, 1.8], [230, 230]])
        let rows = f.matrix(probe, fieldColumns: [0, 1])
        #expect(abs(rows[0, 0]) < 3)
        #expect(rows[1, 0] > 20)
    }

    @Test func aSpikeIsSeenWholeInItsRowAndClippedInTheRowsAfter() throws {
        let data = Self.meters(series: 1, days: 2)
        let context = try StreamContext.fit(data, spec: ContextSpec(features: [.profile, .diff]), spanMs: 2 * Self.day)
        var f = ContextFeatures(context: context)
        _ = f.matrix(data, fieldColumns: [0, 1])
        let t = data.time.last! + Self.cadence
        let next = ForecastColumns(
            time: [t, t + Self.cadence], seriesCodes: [0, 0], seriesNames: ["m0"], fieldNames: ["kwh", "v"],
            fields: [[data.fields[0].last!, data.fields[0].last!], [230, 330]])
        let rows = f.matrix(next, fieldColumns: [0, 1])
        let vDiff = 3
        #expect(rows[1, vDiff] > 50)
        let back = ForecastColumns(
            time: [t + 2 * Self.cadence], seriesCodes: [0], seriesNames: ["m0"], fieldNames: ["kwh", "v"],
            fields: [[data.fields[0].last!], [230]])
        let after = f.matrix(back, fieldColumns: [0, 1])
        // v is Gaussian: its bound is the 99.9th percentile of |z|, a little over 3, nowhere near the spike's 100.
        let bound = context.memoryClip[1]
        #expect(bound >= ContextFeatures.memoryClip && bound < 4.5, "\(bound)")
        #expect(after[0, vDiff] >= -bound - 3)
    }

    /// A series whose normal swings are wide (here: every fifth event a pulse at about 8 robust scales) is
    /// remembered as it is: two pulses in a row differ by their own difference, not by a pulse minus 3.
    @Test func aSeriesWithWideNormalSwingsIsRememberedAsItWas() throws {
        var rng = RandomSource(seed: 3)
        var time: [Int64] = [], values: [Double] = []
        for step in 0..<2_000 {
            time.append(1_767_225_600_000 + Int64(step) * Self.cadence)
            values.append((step % 5 == 0 ? 8 : 0) + rng.normal())
        }
        let data = ForecastColumns(
            time: time, seriesCodes: [Int32](repeating: 0, count: time.count), seriesNames: ["pulse"], fieldNames: ["x"],
            fields: [values])
        let context = try StreamContext.fit(data, spec: ContextSpec(features: [.profile, .diff]), spanMs: 2 * Self.day, daily: false)
        let scale = context.scale[0], centre = context.profile[0]
        let pulse = (8 - centre) / scale
        #expect(context.memoryClip[0] > pulse, "the bound covers the pulses: \(context.memoryClip[0]) against \(pulse)")
        var f = ContextFeatures(context: context)
        _ = f.matrix(data, fieldColumns: [0])
        let t = time.last! + Self.cadence
        let two = ForecastColumns(
            time: [t, t + Self.cadence], seriesCodes: [0, 0], seriesNames: ["pulse"], fieldNames: ["x"], fields: [[8, 8.5]])
        let rows = f.matrix(two, fieldColumns: [0])
        #expect(abs(rows[1, 1] - 0.5 / scale) < 1e-9, "diff of two pulses: \(rows[1, 1])")
    }

    @Test func unknownSeriesGetMissingDerivedFeaturesAndTheirFields() throws {
        let data = Self.meters(series: 2, days: 2)
        let context = try StreamContext.fit(data, spec: ContextSpec(features: [.fields, .profile]), spanMs: 2 * Self.day)
        var f = ContextFeatures(context: context)
        let rows = f.matrix(
            ForecastColumns(time: [data.time[0]], seriesCodes: [0], seriesNames: ["new"], fieldNames: ["v", "kwh"], fields: [[231], [1]]),
            fieldColumns: [1, 0])
        #expect(rows[0, 0] == 1 && rows[0, 1] == 231)
        #expect(rows[0, 2].isNaN && rows[0, 3].isNaN)
    }

    @Test func calendarFeaturesAreInTheConfiguredTimeZone() throws {
        let data = Self.meters(series: 1, days: 1)
        let utc = try StreamContext.fit(data, spec: ContextSpec(features: [.calendar]), spanMs: Self.day)
        let berlin = try StreamContext.fit(data, spec: ContextSpec(features: [.calendar], timeZone: "Europe/Berlin"), spanMs: Self.day)
        // 2026-01-01T23:00Z is midnight in Berlin (UTC+1 in winter): the hour angle is 0 there, -15 degrees in UTC.
        let probe = ForecastColumns(
            time: [1_767_308_400_000], seriesCodes: [0], seriesNames: ["m0"], fieldNames: ["kwh", "v"], fields: [[1], [230]])
        var a = ContextFeatures(context: utc), b = ContextFeatures(context: berlin)
        let u = a.matrix(probe, fieldColumns: [0, 1]), l = b.matrix(probe, fieldColumns: [0, 1])
        #expect(abs(l[0, 0]) < 1e-9 && abs(l[0, 1] - 1) < 1e-9)
        #expect(abs(u[0, 0] - sin(2 * .pi * 23 / 24)) < 1e-9)
        #expect(throws: ModelError.self) { try StreamContext.fit(data, spec: ContextSpec(timeZone: "Mars/Olympus"), spanMs: Self.day) }
    }

    @Test func specsParseBackFromTheirTextAndRefuseNonsense() throws {
        let f = try ContextSpec.features("profile, diff,std:12,lag:2,calendar,fields")
        #expect(ContextSpec(features: f).text == "profile,diff,std:12,lag:2,calendar,fields")
        #expect(try ContextSpec.features("none").isEmpty)
        #expect(ContextSpec(features: [.fields]).isEmpty)
        #expect(ContextSpec(features: f).memory == 11)
        for bad in ["profile,profile", "std:0", "std:x", "lag", "median:3", "std:100000"] {
            #expect(throws: ModelError.self, "\(bad)") { try ContextSpec.features(bad) }
        }
    }

    @Test func twoWeeksOfHistoryGiveWeekendsTheirOwnHours() throws {
        let data = Self.meters(series: 1, days: 14)
        #expect(try StreamContext.fit(data, spec: ContextSpec(), spanMs: 14 * Self.day).slots == 48)
        #expect(try StreamContext.fit(data, spec: ContextSpec(), spanMs: 5 * Self.day).slots == 24)
    }
}
