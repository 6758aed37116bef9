import Foundation

/// What a model sees of each event, as asked for by the `context=` parameter: `none` (its fields alone), or
/// a comma list of
///
/// - `fields`: the event's own field values, as they are;
/// - `calendar`: hour of day and day of week, each as a point on a circle (sine and cosine), in `timezone`;
/// - `profile`: each field's deviation from its series' own daily profile, in the series' robust scales;
/// - `diff`: that deviation's change since the series' previous event;
/// - `lag:N`: the deviation N events earlier;
/// - `mean:N`, `std:N`, `min:N`, `max:N`: the deviation's statistic over the series' last N events (this one included).
///
/// Every derived per-field feature is on the profile-deviation scale, so it means the same for series of very
/// different sizes; see docs/formats.md ("Context features").
public struct ContextSpec: Sendable, Equatable {
    public enum Feature: Sendable, Equatable, Hashable {
        case fields
        case calendar
        case profile
        case diff
        case lag(Int)
        case window(WindowStatistic, Int)
    }

    public enum WindowStatistic: String, Sendable, CaseIterable {
        case mean, std, min, max
    }

    public var features: [Feature]
    /// An IANA time zone identifier for `calendar` and the profile's hours.
    public var timeZone: String

    /// What a forest fitted with no `context=` parameter sees.
    public static let defaultFeatures: [Feature] = [.fields, .profile, .diff, .window(.std, 12)]
    public static let maximumWindow = 1_000

    public init(features: [Feature] = ContextSpec.defaultFeatures, timeZone: String = "UTC") {
        self.features = features
        self.timeZone = timeZone
    }

    /// Whether the rows are the fields alone, with no per-series state (`none`, or `fields` alone).
    public var isEmpty: Bool { features.allSatisfy { $0 == .fields } }

    /// Parses the `context=` value; throws `ModelError.badParameter` naming what is wrong.
    public static func features(_ text: String) throws -> [Feature] {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed == "none" || trimmed.isEmpty { return [] }
        var out: [Feature] = []
        for word in trimmed.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let parts = word.split(separator: ":", maxSplits: 1).map(String.init)
            let feature: Feature
            switch (parts[0], parts.count) {
            case ("fields", 1): feature = .fields
            case ("calendar", 1): feature = .calendar
            case ("profile", 1): feature = .profile
            case ("diff", 1): feature = .diff
            case ("lag", 2): feature = .lag(try count(parts[1], in: word))
            case (let name, 2) where WindowStatistic(rawValue: name) != nil:
                feature = .window(WindowStatistic(rawValue: name)!, try count(parts[1], in: word))
            default:
                throw ModelError.badParameter(
                    "context=\(text): '\(word)' is not a context feature (known: none, fields, calendar, profile, diff, lag:N, "
                        + "mean:N, std:N, min:N, max:N, with N events)")
            }
            guard !out.contains(feature) else { throw ModelError.badParameter("context=\(text): '\(word)' is named twice") }
            out.append(feature)
        }
        return out
    }

    private static func count(_ text: String, in word: String) throws -> Int {
        guard let n = Int(text), (1...maximumWindow).contains(n) else {
            throw ModelError.badParameter("context feature '\(word)': N must be a whole number of events in 1...\(maximumWindow)")
        }
        return n
    }

    /// Checks an IANA identifier; throws `ModelError.badParameter` for an unknown one.
    public static func checkTimeZone(_ identifier: String) throws {
        guard TimeZone(identifier: identifier) != nil else {
            throw ModelError.badParameter("timezone=\(identifier): not a known time zone (use an IANA name such as UTC or Europe/Berlin)")
        }
    }

    /// The `context=` value that parses back to these features.
    public var text: String {
        features.isEmpty ? "none" : features.map { f -> String in
            switch f {
            case .fields: "fields"
            case .calendar: "calendar"
            case .profile: "profile"
            case .diff: "diff"
            case .lag(let n): "lag:\(n)"
            case .window(let s, let n): "\(s.rawValue):\(n)"
            }
        }.joined(separator: ",")
    }

    /// Past deviations per series and field a scorer must keep (the current one not counted).
    public var memory: Int {
        features.reduce(0) { m, f in
            switch f {
            case .fields, .calendar, .profile: m
            case .diff: max(m, 1)
            case .lag(let n): max(m, n)
            case .window(_, let n): max(m, n - 1)
            }
        }
    }

    /// The features' names for a model on `fields`, in column order.
    public func names(fields: [String]) -> [String] {
        features.flatMap { f -> [String] in
            switch f {
            case .fields: fields
            case .calendar: ["hour_sin", "hour_cos", "weekday_sin", "weekday_cos"]
            case .profile: fields.map { "\($0):profile" }
            case .diff: fields.map { "\($0):diff" }
            case .lag(let n): fields.map { "\($0):lag\(n)" }
            case .window(let s, let n): fields.map { "\($0):\(s.rawValue)\(n)" }
            }
        }
    }
}
