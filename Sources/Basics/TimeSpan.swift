/// A length of time as people write it in options and configuration files:
/// whole milliseconds, read and written in one grammar (docs/configuration.md,
/// "Durations"). Every option and key that takes a duration parses it here, so
/// `5m` means the same in a stream's cadence, a prune age and a training window.
public struct TimeSpan: Sendable, Hashable, Comparable, Codable {
    public var milliseconds: Int64

    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    public static func seconds(_ n: Int64) -> TimeSpan { TimeSpan(milliseconds: n * 1_000) }
    public static func minutes(_ n: Int64) -> TimeSpan { TimeSpan(milliseconds: n * 60_000) }
    public static func hours(_ n: Int64) -> TimeSpan { TimeSpan(milliseconds: n * 3_600_000) }
    public static func days(_ n: Int64) -> TimeSpan { TimeSpan(milliseconds: n * 86_400_000) }

    /// The span as a Swift `Duration`, for sleeps and timeouts.
    public var duration: Duration { .milliseconds(milliseconds) }

    /// Fractional seconds, for rates and reports.
    public var seconds: Double { Double(milliseconds) / 1_000 }

    public static func < (a: TimeSpan, b: TimeSpan) -> Bool { a.milliseconds < b.milliseconds }

    /// Decodes from the grammar's text (`window: {last: 14d}`), so a `Decodable`
    /// configuration gets the same words and errors as an option does.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { self = try TimeSpan(parsing: text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
