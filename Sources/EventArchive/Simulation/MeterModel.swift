import Foundation

/// One simulated meter: its own random stream, its load profile, and the state
/// that persists between readings (level shifts, an ongoing dropout).
///
/// Each meter draws from a generator seeded by (seed, meter index), so a meter's
/// data does not depend on how many other meters are simulated.
struct MeterModel {
    /// What one reading came out as.
    struct Reading {
        var kwh: Double
        var voltage: Double
    }

    let name: String
    private var rng: Xoshiro256
    /// Median power in kW; lognormal across meters, as real households are.
    private let baseKW: Double
    /// Coefficient of variation of the multiplicative noise.
    private let cv: Double
    /// Daily profile: 1 + a1·cos(θ − α1) + a2·cos(2θ − α2). The first harmonic peaks
    /// in the evening, the second adds a morning and an evening peak 12 hours apart.
    private let a1: Double, a2: Double
    private let cosA1: Double, sinA1: Double
    private let cosA2: Double, sinA2: Double
    /// At weekends the load differs and the morning peak comes later.
    private let weekendFactor: Double
    private let cosA2Weekend: Double, sinA2Weekend: Double
    private let trendPerDay: Double
    private let voltOffset: Double, voltLoadSlope: Double
    /// Multiplier set by level shifts, 1 until the first one.
    private var level = 1.0
    private var dropoutLeft = 0

    init(index: Int, seed: UInt64, nameWidth: Int) {
        let digits = String(index + 1)
        name = "m" + String(repeating: "0", count: max(0, nameWidth - digits.count)) + digits
        rng = Xoshiro256(seed: seed ^ (UInt64(index + 1) &* 0xD1B5_4A32_D192_ED03))
        baseKW = 0.55 * exp(0.6 * rng.normal())
        cv = rng.uniform(0.06, 0.12)
        a1 = rng.uniform(0.18, 0.30)
        a2 = rng.uniform(0.22, 0.34)
        let hour = 2 * Double.pi / 24
        let evening = 18.5 + 0.8 * rng.normal(), morning = 7.5 + 0.5 * rng.normal()
        cosA1 = cos(hour * evening)
        sinA1 = sin(hour * evening)
        cosA2 = cos(2 * hour * morning)
        sinA2 = sin(2 * hour * morning)
        cosA2Weekend = cos(2 * hour * (morning + 1.5))
        sinA2Weekend = sin(2 * hour * (morning + 1.5))
        weekendFactor = rng.uniform(0.9, 1.25)
        trendPerDay = 0.002 * rng.normal()
        voltOffset = 1.5 * rng.normal()
        voltLoadSlope = rng.uniform(1.5, 3.5)
    }

    /// The expected power now, before noise and anomalies.
    private func expectedKW(_ at: SimulationInstant) -> Double {
        let (c2, s2) = at.isWeekend ? (cosA2Weekend, sinA2Weekend) : (cosA2, sinA2)
        let daily = 1 + a1 * (at.cos1 * cosA1 + at.sin1 * sinA1) + a2 * (at.cos2 * c2 + at.sin2 * s2)
        let trend = max(0.3, 1 + trendPerDay * at.elapsedDays)
        return baseKW * level * daily * trend * (at.isWeekend ? weekendFactor : 1)
    }

    /// The reading at `at`, or nil during a dropout. Labels what it injects into `labels`.
    /// `anomalyRate` is per reading; `dropoutRate` is the chance a dropout starts here.
    mutating func reading(
        at: SimulationInstant, anomalyRate: Double, dropoutRate: Double, cadenceHours: Double,
        labels: inout [InjectedAnomaly]
    ) -> Reading? {
        if dropoutLeft > 0 {
            dropoutLeft -= 1
            return nil
        }
        if rng.uniform() < dropoutRate {
            dropoutLeft = 2 + Int(rng.next() % 22)  // 3 to 24 readings missing, this one included
            labels.append(InjectedAnomaly(series: name, time: at.time, kind: "dropout", field: "*"))
            return nil
        }
        let expected = expectedKW(at)
        var kw = max(0, expected * (1 + cv * rng.normal()))
        var volts = 230 + voltOffset - voltLoadSlope * (kw / (baseKW * level) - 1) + 0.8 * rng.normal()
        if rng.uniform() < anomalyRate {
            let kind = rng.uniform()
            if kind < 0.45 {
                // 1.8 to 3 times the expected load: at least 6.7 noise sigmas, and clear of
                // the spread of the same hour on other days.
                kw = expected * rng.uniform(1.8, 3.0)
                labels.append(InjectedAnomaly(series: name, time: at.time, kind: "spike", field: "kwh"))
            } else if kind < 0.70 {
                kw = expected * rng.uniform(0.05, 0.35)
                labels.append(InjectedAnomaly(series: name, time: at.time, kind: "dip", field: "kwh"))
            } else if kind < 0.95 {
                volts -= rng.uniform(12, 30)
                labels.append(InjectedAnomaly(series: name, time: at.time, kind: "sag", field: "voltage"))
            } else {
                // Alternate around 1 so repeated shifts do not drift the level off to extremes.
                let next = level >= 1 ? rng.uniform(0.55, 0.75) : rng.uniform(1.35, 1.7)
                kw *= next / level
                level = next
                labels.append(InjectedAnomaly(series: name, time: at.time, kind: "level_shift", field: "kwh"))
            }
        }
        // Meters report whole tenths of a watt-hour and tenths of a volt.
        return Reading(
            kwh: (kw * cadenceHours * 10_000).rounded() / 10_000, voltage: (volts * 10).rounded() / 10)
    }
}
