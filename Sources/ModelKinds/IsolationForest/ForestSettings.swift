import Foundation
import AnomalyModels

/// An isolation forest's `--param` settings: the forest's own (`IsolationForestParameters`), the context
/// features its rows are built with, and how its flags are set.
///
/// Flags come from `alarm_rate` (a tail probability, as the forecaster's) unless `contamination` or
/// `threshold` is given; `contamination=none` spells the default out.
public struct ForestSettings: Sendable, Equatable {
    public var forest = IsolationForestParameters()
    public var context = ContextSpec()
    /// Whether the context's profile follows the hour of day (`DailyProfile`).
    public var dailyProfile = DailyProfile.auto
    public var alarmRate = 1e-3
    /// Whether the threshold is the score whose calibrated tail probability is `alarmRate`.
    public var flagsByAlarmRate = true

    public init(_ settings: [String], seed: UInt64?) throws {
        var rest: [String] = []
        for setting in settings {
            guard let eq = setting.firstIndex(of: "="), eq != setting.startIndex else {
                throw ModelError.badParameter("parameter '\(setting)' is not key=value")
            }
            let key = setting[..<eq].trimmingCharacters(in: .whitespaces)
            let value = setting[setting.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            switch key {
            case "context": context.features = try ContextSpec.features(value)
            case "timezone":
                try ContextSpec.checkTimeZone(value)
                context.timeZone = value
            case "daily_profile":
                guard let v = DailyProfile(rawValue: value) else {
                    throw ModelError.badParameter("daily_profile=\(value): expected auto, on or off")
                }
                dailyProfile = v
            case "alarm_rate":
                guard let v = Double(value), v > 0, v < 0.5 else {
                    throw ModelError.badParameter("alarm_rate=\(value): expected a probability in (0, 0.5), such as 1e-5")
                }
                alarmRate = v
            case "contamination" where value == "none": flagsByAlarmRate = true
            case "threshold" where value == "auto" || value == "none": break  // unset, as canonical settings spell it
            case "contamination", "threshold":
                flagsByAlarmRate = false
                rest.append(setting)
            default: rest.append(setting)
            }
        }
        do { forest = try IsolationForestParameters(settings: rest) } catch ModelError.badParameter(let m)
            where m.hasPrefix("unknown isolation-forest parameter")
        {
            throw ModelError.badParameter(m.replacingOccurrences(of: "seed)", with: "seed, context, timezone, daily_profile, alarm_rate)"))
        }
        if let seed { forest.seed = seed }
    }

    /// Every setting spelled out, in the words `init` accepts.
    public var settings: [String: String] {
        var s = forest.settings
        s["context"] = context.text
        s["timezone"] = context.timeZone
        s["daily_profile"] = dailyProfile.rawValue
        s["alarm_rate"] = "\(alarmRate)"
        if flagsByAlarmRate { s["contamination"] = "none" }
        return s
    }

    /// Calibrates `forest`'s scores on `rows` (training rows, at most 50,000 of them evenly spread) and, when flags
    /// come from the alarm rate, sets its threshold there.
    func calibrate(_ forest: inout IsolationForest, on rows: FeatureMatrix) {
        forest.calibration = ScoreCalibration.fit(forest.score(rows.evenSample(50_000)))
        guard flagsByAlarmRate, let c = forest.calibration else { return }
        forest.threshold = c.threshold(alarmRate: alarmRate)
        forest.alarmRate = alarmRate
    }
}
