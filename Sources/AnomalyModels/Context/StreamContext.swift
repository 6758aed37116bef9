/// What a model fitted with context features knows about each series: its daily profile (the median of each
/// field per local hour, weekends apart once the window holds two weeks) and its robust scale around that
/// profile, per hour too (a meter's evening peak is noisier than its night). Per-field features are deviations from the profile in those scales, so they mean the same for a
/// meter drawing 0.2 kWh and one drawing 20. Fitted once on the training window; the scorer's per-series
/// memory (`ContextFeatures`) holds the rest.
public struct StreamContext: Sendable, Equatable {
    public let spec: ContextSpec
    /// The stream fields the features derive from, in the model's order.
    public let fields: [String]
    public let seriesNames: [String]
    /// 24 (hours) or 48 (weekday hours, then weekend hours).
    public let slots: Int
    /// `[(series * fields + field) * slots + slot]`: the profile, in the field's units.
    public let profile: [Double]
    /// `[(series * fields + field) * slots + slot]`: the robust scale of the deviations from the profile in that
    /// slot (> 0; the series' scale over all slots where a slot holds too few events).
    public let scale: [Double]
    /// `[series * fields + field]`: c where the field is measured as log(value + c) (it never went below 0 in
    /// training), NaN where it is measured as it is. Profile and scale are on that measure.
    public let logOffset: [Double]
    /// `[series * fields + field]`: the largest deviation, in robust scales, the scorer's memory keeps of an
    /// event (`ContextFeatures`).
    public let memoryClip: [Double]
    /// The typical spacing of a series' events, for how much history a scorer warms up on.
    public let cadenceMs: Int64
    let seriesIndex: [String: Int32]

    public init(
        spec: ContextSpec, fields: [String], seriesNames: [String], slots: Int, profile: [Double], scale: [Double],
        logOffset: [Double], cadenceMs: Int64, memoryClip: [Double]? = nil
    ) {
        self.logOffset = logOffset
        self.memoryClip = memoryClip ?? [Double](repeating: ContextFeatures.memoryClip, count: logOffset.count)
        self.spec = spec
        self.fields = fields
        self.seriesNames = seriesNames
        self.slots = slots
        self.profile = profile
        self.scale = scale
        self.cadenceMs = cadenceMs
        var index: [String: Int32] = [:]
        for (i, name) in seriesNames.enumerated() { index[name] = Int32(i) }
        seriesIndex = index
    }

    /// Every input the forest sees, in column order.
    public var featureNames: [String] { spec.names(fields: fields) }

    /// History a fresh scorer warms up on: its memory's events at the cadence, twice over for gaps, at most a week.
    public var warmUpSpan: Int64 {
        spec.memory == 0 ? 0 : min(7 * LocalClock.dayMs, 2 * Int64(spec.memory + 1) * cadenceMs)
    }

    /// Once the window spans this long (two of each weekday, give or take a day), weekends get their own hours.
    static let weeklySpanMs: Int64 = 13 * LocalClock.dayMs
    /// Events a slot needs for its own median; fewer, and the series' overall median stands in.
    static let minimumPerSlot = 3

    /// Why this context cannot be used, or nil.
    public func problem() -> String? {
        let m = seriesNames.count * fields.count
        guard !fields.isEmpty, slots == 24 || slots == 48 else { return "context has no fields or \(slots) slots" }
        guard Set(seriesNames).count == seriesNames.count else { return "context series names repeat" }
        guard profile.count == m * slots, scale.count == m * slots, logOffset.count == m, memoryClip.count == m else { return "context profile or scale has the wrong length" }
        guard profile.allSatisfy({ $0.isFinite }), scale.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            return "context profile values must be finite and scales > 0"
        }
        guard logOffset.allSatisfy({ $0.isNaN || $0 > 0 && $0.isFinite }) else { return "context log offsets must be NaN or > 0" }
        guard memoryClip.allSatisfy({ $0.isFinite && $0 > 0 }) else { return "context memory bounds must be finite and > 0" }
        guard cadenceMs > 0 else { return "context cadence must be > 0" }
        return nil
    }
}
