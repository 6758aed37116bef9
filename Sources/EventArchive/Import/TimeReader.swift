import Foundation

/// A stream's time field reader: its `TimeFormat` and time zone, resolved once per file or decoder, not per
/// event (`time_format:` and `timezone:` in the spec).
public struct TimeReader: Sendable {
    public let format: TimeFormat
    let zone: TimeZone

    /// RFC 3339 text or epoch milliseconds, told apart by their look; the reader of a spec without `time_format`.
    public static let auto = TimeReader(format: .auto, zone: TimeZone(secondsFromGMT: 0)!)

    init(spec: StreamSpec) {
        format = spec.timeFormat
        zone = TimeZone(identifier: spec.timeZone) ?? TimeZone(secondsFromGMT: 0)!
    }

    /// Throws when `timeZone` is not an IANA zone name.
    public init(format: TimeFormat, timeZone: String) throws(TimeFormatError) {
        guard let zone = TimeZone(identifier: timeZone) else {
            throw TimeFormatError("'\(timeZone)' is not a known time zone (use an IANA name such as UTC or Europe/Berlin)")
        }
        self.init(format: format, zone: zone)
    }

    private init(format: TimeFormat, zone: TimeZone) {
        self.format = format
        self.zone = zone
    }

    func read(_ raw: UnsafeBufferPointer<UInt8>) -> FieldText.Time { format.read(raw, zone: zone) }

    /// Times read as epoch milliseconds before this (1973-03-03) are most likely epoch seconds.
    static let earliestPlausibleMs: Int64 = 100_000_000_000

    /// Whether `ms`, read this way, looks like a time in another unit.
    func isImplausible(_ ms: Int64) -> Bool { format.readsMilliseconds && ms < Self.earliestPlausibleMs }
}
