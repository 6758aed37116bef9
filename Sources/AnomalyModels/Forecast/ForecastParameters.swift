import Basics
import Foundation

/// How a seasonal forecaster is fitted. Lists are candidates: rolling-origin
/// validation picks one value from each (a single value fixes it).
public struct ForecastParameters: Sendable, Equatable {
    /// The stream's cadence: values are regularised to cells of this length.
    /// Setting it (or `periodsMs`, `harmonics`, `calendar`, `shiftConfirm`) turns its `auto` off.
    public var cadenceMs: Int64 = 300_000 { didSet { inferCadence = false } }
    /// Take the cadence from the training events' spacing (`cadence=auto`, the default) instead of `cadenceMs`.
    public var inferCadence = true
    /// Take the periods (and their harmonics) from the training window's autocorrelation (`period=auto`, the
    /// default) instead of `periodsMs`; a window that shows none gets a model without seasonal terms.
    public var detectPeriods = true
    /// Choose the harmonics each period allows (`harmonics=auto`) instead of `harmonics`.
    public var autoHarmonics = true
    /// Use the weekend terms when the periods and the window support them (`calendar=auto`).
    public var autoCalendar = true
    public var aggregation: ForecastAggregation = .mean
    public var transform: ForecastTransform = .auto
    /// Seasonal periods, in milliseconds (default: a day and a week).
    public var periodsMs: [Int64] = [86_400_000, 604_800_000] { didSet { detectPeriods = false } }
    /// Candidate numbers of Fourier harmonics, one list per period.
    public var harmonics: [[Int]] = [[4, 8], [0, 3]] { didSet { autoHarmonics = false } }
    /// Weekend indicator and its interaction with the first period's first harmonics
    /// (UTC calendar), so weekends may have their own level and daily shape.
    public var calendarHarmonics = 3
    public var calendar = true { didSet { autoCalendar = false } }
    /// Linear trend over the training window.
    public var trend = true
    /// Candidate ridge penalties, relative to the number of training cells.
    public var ridge: [Double] = [1e-4, 1e-2]
    /// Candidate numbers of autoregressive lags on the recent values' residuals.
    public var lags: [Int] = [0, 3]
    /// Candidate rates at which the local level follows unflagged residuals (0: fixed level).
    public var levelRate: [Double] = [0, 0.02]
    /// Coverage of the prediction interval.
    public var coverage = 0.95
    /// Standardised residual at which a value is an anomaly (its score is then 0.5).
    public var threshold = 5.0
    /// The tail probability below which a value is flagged: the share of normal values expected to be (1e-5:
    /// about one in ten weeks for a 1-minute series, a fleet of 1,000 such series pages about 14 times a day on
    /// noise). Scores are 1 - that probability, so the flag is score > 1 - rate.
    public var alarmRate = 1e-5
    /// Take `shiftConfirm` as an hour's worth of cells, at least 3 (`shift_confirm=auto`).
    public var autoShiftConfirm = true
    /// Consecutive errors beyond half the threshold, on the same side, after which the level moves to them (a level shift).
    public var shiftConfirm = 2 { didSet { autoShiftConfirm = false } }
    /// How fast each series' scale follows its recent errors while scoring: the running median of the errors
    /// moves by this factor (in log) per event, and where it is above validation's median the scale widens by
    /// their ratio (never narrows). 0 keeps the trained scale.
    public var scaleRate = 0.005
    /// Also score each value by its distance from the model's expectation without the short-term AR terms (the
    /// seasonal profile at the current level), calibrated on training like the one-step error: a sustained
    /// departure that the AR terms follow, one small step at a time, stays visible. The event's tail is the
    /// smaller of the two, doubled (Šidák for two looks).
    public var levelScore = false
    /// History needed, in cycles of the longest period.
    public var minimumCycles = 2.0
    /// Targets the hyperparameter search runs on (spread evenly over all of them).
    public var validationTargets = 64
    /// Rolling origins, one horizon apart, at the end of the training window.
    public var validationFolds = 3
    /// Length of each validation horizon (default: the first period).
    public var validationHorizonMs: Int64? = nil

    public init() {}

    var horizonMs: Int64 { validationHorizonMs ?? periodsMs.first ?? 86_400_000 }

    /// Why these parameters cannot be used, or nil.
    func problem() -> String? {
        let tenYears: Int64 = 3_650 * 86_400_000
        guard cadenceMs > 0, cadenceMs <= tenYears else { return "cadence must be positive and at most 3650 days" }
        if let p = periodsMs.first(where: { $0 > tenYears }) { return "period \(p) ms is longer than 3650 days" }
        guard autoHarmonics || periodsMs.count == harmonics.count else {
            return "\(periodsMs.count) periods but \(harmonics.count) harmonics lists (one per period)"
        }
        // With an inferred cadence these are checked again once it is known.
        for (i, p) in periodsMs.enumerated() where !detectPeriods && !inferCadence {
            guard p >= 2 * cadenceMs else { return "period \(p) ms is shorter than two cadence cells" }
            guard !autoHarmonics else { continue }
            guard !harmonics[i].isEmpty else { return "harmonics for period \(p) ms has no candidate" }
            let cells = Int(p / cadenceMs)
            if let k = harmonics[i].first(where: { $0 < 0 || 2 * $0 > cells }) {
                return "\(k) harmonics for period \(p) ms: must be in 0...\(cells / 2)"
            }
        }
        if calendar, calendarHarmonics < 0 { return "calendar harmonics must be ≥ 0" }
        guard !ridge.isEmpty, ridge.allSatisfy({ $0 >= 0 && $0.isFinite }) else { return "ridge needs candidates ≥ 0" }
        guard !lags.isEmpty, lags.allSatisfy({ (0...48).contains($0) }) else { return "lags must be in 0...48" }
        guard !levelRate.isEmpty, levelRate.allSatisfy({ (0..<1).contains($0) }) else {
            return "level rates must be in [0, 1)"
        }
        guard coverage > 0.5, coverage < 1 else { return "coverage must be in (0.5, 1)" }
        guard threshold > 0, threshold.isFinite else { return "threshold must be positive" }
        guard alarmRate > 0, alarmRate < 0.5 else { return "alarm_rate must be in (0, 0.5)" }
        guard shiftConfirm >= 1 else { return "shift_confirm must be ≥ 1" }
        guard scaleRate >= 0, scaleRate < 1 else { return "scale_rate must be in [0, 1)" }
        guard minimumCycles >= 1, minimumCycles.isFinite else { return "minimum cycles must be ≥ 1" }
        guard validationTargets >= 1, validationFolds >= 0 else { return "validation needs ≥ 1 target, ≥ 0 folds" }
        guard inferCadence || validationHorizonMs == nil || horizonMs >= cadenceMs, horizonMs <= tenYears else {
            return "validation horizon must be between the cadence and 3650 days"
        }
        return nil
    }

    /// Applies a `key=value` setting from the command line (or nothing, when it throws). Lists are comma-separated;
    /// `harmonics` separates periods by commas and candidates by `/` (`4/8,0/3`).
    public mutating func set(_ key: String, _ value: String) throws {
        var next = self
        try next.assign(key, value)
        if let p = next.problem() { throw ModelError.badParameter("\(key)=\(value): \(p)") }
        self = next
    }

    /// Every setting as `key=value`, in an order `init(settings:)` reads back.
    public var settings: [String] {
        func join<T>(_ v: [T]) -> String { v.map { "\($0)" }.joined(separator: ",") }
        let harmonicsText = harmonics.map { join($0).replacingOccurrences(of: ",", with: "/") }.joined(separator: ",")
        var out = [
            "cadence_ms=\(inferCadence ? "auto" : "\(cadenceMs)")", "aggregation=\(aggregation.rawValue)",
            "transform=\(transform.rawValue)", "periods_ms=\(detectPeriods ? "auto" : periodsMs.isEmpty ? "none" : join(periodsMs))",
            "harmonics=\(autoHarmonics ? "auto" : harmonics.isEmpty ? "none" : harmonicsText)", "calendar=\(autoCalendar ? "auto" : "\(calendar)")",
            "calendar_harmonics=\(calendarHarmonics)", "trend=\(trend)",
            "ridge=\(join(ridge))", "lags=\(join(lags))", "level_rate=\(join(levelRate))", "coverage=\(coverage)",
            "threshold=\(threshold)", "alarm_rate=\(alarmRate)", "shift_confirm=\(autoShiftConfirm ? "auto" : "\(shiftConfirm)")", "scale_rate=\(scaleRate)", "level_score=\(levelScore)", "minimum_cycles=\(minimumCycles)",
            "validation_targets=\(validationTargets)", "validation_folds=\(validationFolds)",
        ]
        if let h = validationHorizonMs { out.append("validation_horizon_ms=\(h)") }
        return out
    }

    /// Parameters from `settings` (all applied, then checked together).
    public init(settings: [String]) throws {
        for item in settings {
            guard let eq = item.firstIndex(of: "=") else { throw ModelError.badParameter("'\(item)' is not key=value") }
            try assign(String(item[..<eq]), String(item[item.index(after: eq)...]))
        }
        if let p = problem() { throw ModelError.badParameter(p) }
    }

    private mutating func assign(_ key: String, _ value: String) throws {
        func fail(_ expected: String) -> ModelError { .badParameter("\(key)=\(value): expected \(expected)") }
        func list<T>(_ parse: (Substring) -> T?) throws -> [T] {
            let items = value.split(separator: ",", omittingEmptySubsequences: false).map { parse($0) }
            guard !items.isEmpty, items.allSatisfy({ $0 != nil }) else { throw fail("a comma-separated list") }
            return items.compactMap { $0 }
        }
        switch key {
        case "cadence" where value == "auto", "cadence_ms" where value == "auto": inferCadence = true
        case "cadence":
            guard let v = TimeSpan(value)?.milliseconds, v > 0 else { throw fail("a duration such as 5m, 30s or 1h, or auto") }
            cadenceMs = v
        case "period" where value == "auto", "periods" where value == "auto", "periods_ms" where value == "auto": detectPeriods = true
        case "period" where value == "none", "periods" where value == "none", "periods_ms" where value == "none":
            let auto = autoHarmonics
            periodsMs = []
            harmonics = []
            autoHarmonics = auto
        case "period", "periods":
            periodsMs = try list { TimeSpan(String($0)).flatMap { $0.milliseconds > 0 ? $0.milliseconds : nil } }
            // Harmonics are per period: keep the defaults' lists for as many periods as there are now.
            let auto = autoHarmonics
            harmonics = (0..<periodsMs.count).map { $0 < harmonics.count ? harmonics[$0] : [4] }
            autoHarmonics = auto
        case "cadence_ms":
            guard let v = Int64(value), v > 0 else { throw fail("milliseconds > 0, or auto") }
            cadenceMs = v
        case "aggregation":
            guard let v = ForecastAggregation(rawValue: value) else { throw fail("mean, sum, last or count") }
            aggregation = v
        case "transform":
            guard let v = ForecastTransform(rawValue: value) else { throw fail("none, log or auto") }
            transform = v
        case "periods_ms":
            periodsMs = try list { Int64($0) }
        case "harmonics" where value == "auto": autoHarmonics = true
        case "harmonics" where value == "none": harmonics = []
        case "harmonics":
            harmonics = try list { period in
                let c = period.split(separator: "/").map { Int($0) }
                return c.isEmpty || c.contains(where: { $0 == nil }) ? nil : c.compactMap { $0 }
            }
        case "calendar" where value == "auto": autoCalendar = true
        case "calendar":
            guard let v = Bool(value) else { throw fail("true, false or auto") }
            calendar = v
        case "calendar_harmonics": guard let v = Int(value) else { throw fail("an integer") }; calendarHarmonics = v
        case "trend": guard let v = Bool(value) else { throw fail("true or false") }; trend = v
        case "ridge": ridge = try list { Double($0) }
        case "lags": lags = try list { Int($0) }
        case "level_rate": levelRate = try list { Double($0) }
        case "coverage": guard let v = Double(value) else { throw fail("a number") }; coverage = v
        case "threshold": guard let v = Double(value) else { throw fail("a number") }; threshold = v
        case "shift_confirm" where value == "auto": autoShiftConfirm = true
        case "shift_confirm":
            guard let v = Int(value) else { throw fail("an integer, or auto") }
            shiftConfirm = v
        case "alarm_rate": guard let v = Double(value) else { throw fail("a probability such as 1e-5") }; alarmRate = v
        case "scale_rate": guard let v = Double(value) else { throw fail("a number such as 0.005") }; scaleRate = v
        case "level_score": guard let v = Bool(value) else { throw fail("true or false") }; levelScore = v
        case "minimum_cycles": guard let v = Double(value) else { throw fail("a number") }; minimumCycles = v
        case "validation_targets": guard let v = Int(value) else { throw fail("an integer") }; validationTargets = v
        case "validation_folds": guard let v = Int(value) else { throw fail("an integer") }; validationFolds = v
        case "validation_horizon_ms":
            guard let v = Int64(value), v > 0 else { throw fail("milliseconds > 0") }
            validationHorizonMs = v
        default:
            throw ModelError.badParameter(
                "unknown forecaster parameter '\(key)' (known: cadence, period, harmonics, aggregation, transform, "
                    + "calendar, calendar_harmonics, trend, ridge, lags, level_rate, coverage, threshold, alarm_rate, shift_confirm, "
                    + "scale_rate, level_score, minimum_cycles, validation_targets, validation_folds, validation_horizon_ms; "
                    + "the registry records cadence and period as cadence_ms and periods_ms)")
        }
    }
}
