import Foundation

/// Local wall-clock positions of UTC event times in one time zone: hour of day, day of week,
/// and the profile slot. The zone's offset is looked up once per UTC hour it is asked about
/// (offsets change on hour boundaries), so a batch of events in time order costs one lookup an hour.
struct LocalClock: Sendable {
    let zone: TimeZone?
    private var hourStart = Int64.min
    private var offsetMs: Int64 = 0

    static let hourMs: Int64 = 3_600_000
    static let dayMs: Int64 = 86_400_000

    /// nil or "UTC" means no offset.
    init(identifier: String) {
        zone = identifier == "UTC" ? nil : TimeZone(identifier: identifier)
    }

    /// Event times beyond ±2^53 ms (about 285,000 years) are no real times: they are clamped there, so no
    /// arithmetic on them overflows.
    static let limit: Int64 = 1 << 53

    /// Milliseconds since the local epoch (1970-01-01 00:00 local time), within ±`limit`.
    @inline(__always)
    mutating func local(_ time: Int64) -> Int64 {
        let t = min(max(time, -Self.limit), Self.limit)
        guard let zone else { return t }
        let hour = Self.floorDiv(t, Self.hourMs) * Self.hourMs
        if hour != hourStart {
            hourStart = hour
            offsetMs = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(hour) / 1000))) * 1000
        }
        return min(max(t + offsetMs, -Self.limit), Self.limit)
    }

    /// Hour of day 0..<24 and day of week 0..<7 (Monday 0) of local time `l`, and the fraction of the day.
    @inline(__always)
    static func position(_ l: Int64) -> (hour: Int, weekday: Int, dayFraction: Double) {
        let day = floorDiv(l, dayMs)
        let within = l - day * dayMs
        // 1970-01-01 was a Thursday: day 0 is weekday 3.
        let weekday = Int(((day + 3) % 7 + 7) % 7)
        return (Int(within / hourMs), weekday, Double(within) / Double(dayMs))
    }

    /// The profile slot of local time `l`: its hour, and with `slots` 48 the weekend's hours after the weekdays'.
    @inline(__always)
    static func slot(_ l: Int64, slots: Int) -> Int {
        let p = position(l)
        return slots == 48 && p.weekday >= 5 ? 24 + p.hour : p.hour
    }

    @inline(__always)
    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}
