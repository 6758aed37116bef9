import EventArchive
import Foundation
import ModelKinds
import Synchronization

/// What the scorer's console page (`/` on the HTTP listener) shows, kept as the scoring task goes: the models
/// served and their recent version changes, the latest incidents with their explanations, and, only while a
/// page watches one, a series' recent values with its forecast band and flags. The scoring task writes at most
/// once per batch and model (incidents are rare; a watched series costs a filter over its batch), and nothing
/// per event when nobody watches; a page reads a copy under the same short lock.
public final class LiveConsole: Sendable {
    /// The latest incidents kept, newest first, and the watched series' points kept.
    static let incidentsKept = 50, pointsKept = 600, changesKept = 20

    public struct Incident: Sendable {
        public var model: String, version: Int, series: String, time: Int64
        /// The field that drove it (forecasters), or the top driver (the forest); nil when neither says.
        public var field: String?
        public var actual: Double, expected: Double, lower: Double, upper: Double, sigmas: Double
        public var drivers: String
        public var rank: Double
    }

    public struct Point: Sendable {
        public var time: Int64, value: Double, forecast: Double, lower: Double, upper: Double, flagged: Bool
    }

    public struct VersionChange: Sendable {
        /// Wall-clock ms when the scorer first scored with `to`.
        public var at: Int64, model: String, from: Int?, to: Int
    }

    public struct Watch: Sendable, Equatable {
        public var model: String, series: String
    }

    struct State {
        var versions: [String: Int] = [:]
        var changes: [VersionChange] = []
        var incidents: [Incident] = []
        var watch: Watch?
        var points: [Point] = []
        var field: String?
        /// Pages following the watched series; the watch ends with the last of them.
        var followers = 0
    }

    let state = Mutex(State())
    /// Set while a page watches a series: the scoring task looks at it once per batch and model.
    private let watching = Atomic<Bool>(false)

    public init() {}

    /// A page follows `series` of `model` from now on (the latest page's choice wins; a new series starts
    /// with no points). Each `follow` is ended by one `unfollow`; with the last, the scorer stops keeping points.
    public func follow(_ watch: Watch) {
        state.withLock { s in
            s.followers += 1
            guard s.watch != watch else { return }
            s.watch = watch
            s.points = []
            s.field = nil
        }
        watching.store(true, ordering: .relaxed)
    }

    public func unfollow() {
        let none = state.withLock { s -> Bool in
            s.followers = max(0, s.followers - 1)
            if s.followers == 0 { s.watch = nil; s.points = [] }
            return s.followers == 0
        }
        if none { watching.store(false, ordering: .relaxed) }
    }

    /// After a batch of `model` (version `version`) scored `events` as `p`: notes the version, the incidents the
    /// batch opened, and the watched series' points.
    func scored(model: String, version: Int, fields: [String], columns: [Int], events: EventBatch, _ p: PredictionColumns, flagged: Int) {
        var opened: [Incident] = []
        if flagged > 0, let opens = p.incidentOpens {
            for i in opens.indices where opens[i] { opened.append(incident(model, version, fields, columns, events, p, i)) }
        }
        let watched = watching.load(ordering: .relaxed)
        state.withLock { s in
            if s.versions[model] != version {
                s.changes.insert(VersionChange(at: Self.now(), model: model, from: s.versions[model], to: version), at: 0)
                if s.changes.count > Self.changesKept { s.changes.removeLast(s.changes.count - Self.changesKept) }
                s.versions[model] = version
            }
            if !opened.isEmpty {
                s.incidents.insert(contentsOf: opened.reversed(), at: 0)
                if s.incidents.count > Self.incidentsKept { s.incidents.removeLast(s.incidents.count - Self.incidentsKept) }
            }
            guard watched, let w = s.watch, w.model == model, let code = events.seriesNames.firstIndex(of: w.series) else { return }
            let f = 0
            s.field = fields[f]
            for i in 0..<events.count where events.seriesCodes[i] == Int32(code) {
                let x = p.explanation
                s.points.append(
                    Point(
                        time: events.time[i], value: events.fields[columns[f]][i], forecast: x?.fieldForecast[f][i] ?? .nan,
                        lower: x?.fieldLower[f][i] ?? .nan, upper: x?.fieldUpper[f][i] ?? .nan, flagged: p.anomaly[i]))
            }
            if s.points.count > Self.pointsKept { s.points.removeFirst(s.points.count - Self.pointsKept) }
        }
    }

    private func incident(
        _ model: String, _ version: Int, _ fields: [String], _ columns: [Int], _ e: EventBatch, _ p: PredictionColumns, _ i: Int
    ) -> Incident {
        let x = p.explanation
        let f = x.map { Int($0.field[i]) } ?? -1
        let top = p.drivers?.list(i).first?.name
        let named = x?.fieldName(i) ?? top
        let column = named.flatMap { fields.firstIndex(of: $0) }.map { columns[$0] }
        return Incident(
            model: model, version: version, series: e.seriesNames[Int(e.seriesCodes[i])], time: e.time[i], field: named,
            actual: x?.actual[i] ?? column.map { e.fields[$0][i] } ?? .nan, expected: f >= 0 ? x!.fieldForecast[f][i] : .nan,
            lower: f >= 0 ? x!.fieldLower[f][i] : .nan, upper: f >= 0 ? x!.fieldUpper[f][i] : .nan, sigmas: x?.sigmas[i] ?? .nan,
            drivers: p.drivers?.text(i) ?? "", rank: p.rank(i))
    }

    /// Forgets the watched series' points (after a rebalance, as the scorer forgets its state).
    func clear() { state.withLock { $0.points = [] } }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
}
