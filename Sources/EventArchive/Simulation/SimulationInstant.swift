import Foundation

/// The calendar facts of one timestamp that every meter's profile needs, computed
/// once per timestamp instead of once per reading (the trigonometry dominates otherwise).
struct SimulationInstant {
    let time: Int64
    /// cos and sin of the day's angle θ = 2π·hour/24, and of 2θ.
    let cos1: Double, sin1: Double, cos2: Double, sin2: Double
    let isWeekend: Bool
    /// Days since the simulation started, for the trend.
    let elapsedDays: Double

    init(time: Int64, start: Int64) {
        self.time = time
        let msOfDay = ((time % 86_400_000) + 86_400_000) % 86_400_000
        let theta = 2 * Double.pi * Double(msOfDay) / 86_400_000
        cos1 = cos(theta)
        sin1 = sin(theta)
        cos2 = cos(2 * theta)
        sin2 = sin(2 * theta)
        let day = (time - msOfDay) / 86_400_000
        // 1970-01-01 was a Thursday: (day + 3) % 7 is 0 on Mondays, 5 and 6 at weekends.
        isWeekend = ((day + 3) % 7 + 7) % 7 >= 5
        elapsedDays = Double(time - start) / 86_400_000
    }
}
