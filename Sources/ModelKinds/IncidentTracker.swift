import EventArchive

/// Folds a model's flags into incidents: consecutive flagged events of one
/// series are one incident, named by its series and the time of its first
/// event (`m0007@1767225600000`), so an operator pages once per incident and
/// a replay of the same events names the same incidents. An unflagged scored
/// event ends the series' incident; an event the model could not score
/// (a missing value) neither joins nor ends it.
///
/// Owned, like a model's scoring state, by the one task that scores.
public struct IncidentTracker: Sendable {
    struct Open: Sendable {
        var start: Int64
        var peak: Double
    }

    private var open: [String: Open] = [:]

    public init() {}

    /// Sets `incidentStart`, `incidentOpens` and `incidentPeak` of `p` for `events` (rows in time order per series).
    public mutating func mark(_ events: EventBatch, _ p: inout PredictionColumns) {
        let n = events.count
        var start = [Int64](repeating: PredictionColumns.noIncident, count: n)
        var opens = [Bool](repeating: false, count: n)
        var peak = [Double](repeating: .nan, count: n)
        var current = events.seriesNames.map { open[$0] }
        var touched = [Bool](repeating: false, count: events.seriesNames.count)
        for i in 0..<n {
            let s = Int(events.seriesCodes[i])
            guard p.score[i].isFinite else { continue }
            touched[s] = true
            guard p.anomaly[i] else {
                current[s] = nil
                continue
            }
            if var incident = current[s] {
                incident.peak = max(incident.peak, p.score[i])
                current[s] = incident
            } else {
                current[s] = Open(start: events.time[i], peak: p.score[i])
                opens[i] = true
            }
            start[i] = current[s]!.start
            peak[i] = current[s]!.peak
        }
        for (s, name) in events.seriesNames.enumerated() where touched[s] { open[name] = current[s] }
        p.incidentStart = start
        p.incidentOpens = opens
        p.incidentPeak = peak
    }
}
