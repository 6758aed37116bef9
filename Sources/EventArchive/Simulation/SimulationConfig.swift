/// What to simulate: how many meters, over how long, how often, and how many anomalies.
public struct SimulationConfig: Sendable, Equatable {
    /// 2026-01-01T00:00:00Z in epoch milliseconds.
    public static let defaultStart: Int64 = 1_767_225_600_000

    /// Stream name; an unsafe name is made safe (see `Simulator.init`).
    public var stream: String
    /// Number of meters (series), named `m0001`, `m0002`, ...
    public var series: Int
    public var days: Int
    /// Time between two readings of a meter, in milliseconds.
    public var cadenceMs: Int64
    /// Same seed, same data, byte for byte.
    public var seed: UInt64
    /// Fraction of readings that are labelled spikes, dips, level shifts or voltage sags.
    /// Dropouts come on top, at a twentieth of this rate per reading.
    public var anomalyRate: Double
    /// First timestamp, epoch milliseconds.
    public var start: Int64

    public init(
        stream: String = "meters", series: Int = 50, days: Int = 14, cadenceMs: Int64 = 300_000, seed: UInt64 = 7,
        anomalyRate: Double = 0.002, start: Int64 = SimulationConfig.defaultStart
    ) {
        self.stream = stream
        self.series = series
        self.days = days
        self.cadenceMs = cadenceMs
        self.seed = seed
        self.anomalyRate = anomalyRate
        self.start = start
    }
}
