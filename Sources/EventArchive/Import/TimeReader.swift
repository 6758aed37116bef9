import Foundation

/// A stream's time field reader: its `TimeFormat` and time zone, resolved once per file or decoder, not per
/// event (`time_format:` and `timezone:` in the spec).
struct TimeReader: Sendable {
    let format: TimeFormat
    let zone: TimeZone

    init(spec: StreamSpec) {
        format = spec.timeFormat
        zone = TimeZone(identifier: spec.timeZone) ?? TimeZone(secondsFromGMT: 0)!
    }

    func read(_ raw: UnsafeBufferPointer<UInt8>) -> FieldText.Time { format.read(raw, zone: zone) }

    /// Times read as epoch milliseconds before this (1973-03-03) are most likely epoch seconds.
    static let earliestPlausibleMs: Int64 = 100_000_000_000

    /// Whether `ms`, read this way, looks like a time in another unit.
    func isImplausible(_ ms: Int64) -> Bool { format.readsMilliseconds && ms < Self.earliestPlausibleMs }
}
