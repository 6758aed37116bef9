import Foundation
import Basics

/// The rolling-origin forecast bench as a library (`forewarn bench forecast --rolling` only parses and
/// prints): per set, each usable series at its own cadence forecast a day ahead from the last `origins`
/// UTC day boundaries, by Forewarn (`ForewarnRolling`) and, in a child Python (`ForecastReferenceScript`),
/// by statsforecast's seasonal naive (a week and a day back), MSTL and AutoETS, refitted at each origin.
/// Every method sees the same `historyDays` before an origin; all are measured alike (`ForecastTally`).
public struct RollingForecastBench {
    /// The sets it knows: the folders of `DetectionSet.defaultRoot` and the simulator's meters.
    public static let standardSets = DetectionSet.standardNames + ["meters"]
    /// The methods, in report order: Forewarn, then the child's.
    public static let methods = ["forewarn"] + ForecastReferenceScript.methods

    public var root = DetectionSet.defaultRoot
    public var sets = standardSets
    /// Daily origins per series.
    public var origins = 7
    /// At most this many series per set, spread evenly over its usable ones (in file and column order).
    public var maxSeries = 2
    /// The history every method fits on before an origin (Forewarn: before the first, then updated).
    public var historyDays = 21
    /// A series needs at least this much history before its first origin.
    public var minimumHistoryDays = 2
    /// Simulated meters to pick from, over how many days, with which seed.
    public var meters = 300
    public var meterDays = 28
    public var seed: UInt64 = 7

    public init() {}

    /// Why these settings cannot run, or nil.
    public func problem() -> String? {
        if let unknown = sets.first(where: { !Self.standardSets.contains($0) }) {
            return "--sets: unknown set '\(unknown)' (the sets are \(Self.standardSets.joined(separator: ",")))"
        }
        guard !sets.isEmpty else { return "--sets: no set given" }
        guard (1...60).contains(origins) else { return "--origins must be in 1...60 (found \(origins))" }
        guard maxSeries >= 1 else { return "--max-series must be at least 1 (found \(maxSeries))" }
        guard historyDays >= minimumHistoryDays else {
            return "--history-days must be at least \(minimumHistoryDays) (found \(historyDays))"
        }
        guard meters >= 1 else { return "--meters must be at least 1 (found \(meters))" }
        return nil
    }

    /// The series of one set, or the simulated meters.
    func series(of set: String) throws -> [RollingSeries] {
        if set == "meters" { return RollingSeries.meters(count: meters, days: meterDays, seed: seed) }
        return try RollingSeries.load(set: set, root: root)
    }

    /// Runs one set: Forewarn on each chosen series and, with `child`, the references. `log` hears one
    /// line per series, `progress` the series done of those chosen. Throws only when the child Python is
    /// gone or answers nonsense.
    public func run(
        set: String, child: ReferenceChild?, scratch: String, progress: (any ProgressReporter)? = nil, log: (String) -> Void = { _ in }
    ) throws -> RollingSetResult {
        var result = RollingSetResult(set: set)
        let all: [RollingSeries]
        do { all = try series(of: set) } catch {
            result.failure = "\(error)"
            return result
        }
        result.candidates = all.count
        let day = RollingOrigins.day, historyMs = Int64(historyDays) * day
        var usable: [(RollingSeries, RollingOrigins)] = []
        for s in all {
            do throws(RollingSkip) {
                let o = try RollingOrigins(time: s.time, count: origins, minimumHistoryMs: Int64(minimumHistoryDays) * day)
                guard !s.isConstant else { throw RollingSkip("constant", "every value is \(s.values.first { $0.isFinite } ?? .nan)") }
                usable.append((s, o))
            } catch { result.skipped.append((s.name, error)) }
        }
        let chosen = usable.count <= maxSeries ? usable : (0..<maxSeries).map { usable[$0 * usable.count / maxSeries] }
        var tallies = Self.methods.map { _ in ForecastTally() }
        var models = Self.methods.map { _ in [String: Int]() }
        progress?.start("rolling forecast of \(set)", total: chosen.count, unit: ProgressUnit("series"))
        defer { progress?.finish() }
        for (done, (s, o)) in chosen.enumerated() {
            let reason = try evaluate(s, o, historyMs: historyMs, child: child, scratch: scratch, tallies: &tallies, models: &models)
            if let reason { result.skipped.append((s.name, reason)) } else { result.evaluated.append(s.name) }
            result.cadencesMs.insert(o.cadenceMs)
            log("\(set)/\(s.name): \(reason.map { "skipped: \($0)" } ?? "done")")
            progress?.update(done + 1)
        }
        let measured = child == nil ? 1 : Self.methods.count
        result.figures = (0..<measured).map { (Self.methods[$0], ForecastFigures(tallies[$0])) }
        result.models = (0..<measured).map { m in
            (Self.methods[m], models[m].sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { ($0.key, $0.value) })
        }
        return result
    }

    /// One series by every method; the reason when it could not be evaluated after all (a series whose
    /// history holds no measurable seasonal-naive error).
    private func evaluate(
        _ s: RollingSeries, _ o: RollingOrigins, historyMs: Int64, child: ReferenceChild?, scratch: String,
        tallies: inout [ForecastTally], models: inout [[String: Int]]
    ) throws -> RollingSkip? {
        let c = o.cadenceMs, steps = o.steps
        let historyCells = Int(min(historyMs, o.origins[0] - s.time[0]) / c)
        let grid = CellGrid(s, start: o.origins[0] - Int64(historyCells) * c, cells: historyCells + o.origins.count * steps, cadenceMs: c)
        let window = Int(historyMs / c)
        let starts = o.origins.map { grid.cell(at: $0) }
        let scales = starts.map { grid.naiveMAE(max(0, $0 - window)..<$0, season: steps) }
        guard scales.contains(where: { $0 > 0 && $0.isFinite }) else {
            return RollingSkip("no scale", "no seasonal-naive error in the history before any origin: no MASE scale")
        }
        var forecasts: [[DayForecast]] = []
        do {
            let f = try ForewarnRolling(s, origins: o, historyMs: historyMs)
            forecasts.append(f.forecasts)
            tallies[0].cpuSeconds += f.cpu
            models[0][f.periods, default: 0] += 1
        } catch {
            tallies[0].fail("\(s.name): \(error)")
            forecasts.append(o.origins.map { _ in .missing(steps: steps) })
        }
        tallies[0].series += 1
        if let child { forecasts += try references(grid, starts: starts, steps: steps, window: window, child: child, scratch: scratch, tallies: &tallies, models: &models, name: s.name) }
        for (m, perOrigin) in forecasts.enumerated() {
            for (k, start) in starts.enumerated() {
                tallies[m].add(
                    perOrigin[k], truth: grid.values[start..<start + steps], excluded: grid.labelled[start..<start + steps],
                    scale: scales[k], cadenceMs: c)
            }
        }
        return nil
    }

    /// The child's methods on one series: per method, a forecast per origin (missing where it failed).
    private func references(
        _ grid: CellGrid, starts: [Int], steps: Int, window: Int, child: ReferenceChild, scratch: String,
        tallies: inout [ForecastTally], models: inout [[String: Int]], name: String
    ) throws -> [[DayForecast]] {
        let values = (scratch as NSString).appendingPathComponent("values.f64")
        let output = (scratch as NSString).appendingPathComponent("forecasts.f64")
        try CaseFiles.write(grid.values, to: values)
        let request = ForecastReferenceRequest(
            values: values, origins: starts, steps: steps, day: steps, week: 7 * steps, history: window, output: output)
        let reply = try child.ask(request, as: ForecastReferenceReply.self)
        let names = ForecastReferenceScript.methods
        guard let methods = reply.methods, methods.map(\.name) == names else {
            throw ReferenceError("the forecast Python failed on \(name): \(reply.error ?? "no methods in its answer")")
        }
        let out = try CaseFiles.read(output)
        let perOrigin = 5 * steps
        guard out.count == names.count * starts.count * perOrigin else {
            throw ReferenceError("the forecast Python wrote \(out.count) values for \(name), not \(names.count * starts.count * perOrigin)")
        }
        return methods.enumerated().map { i, method in
            let m = i + 1
            tallies[m].series += 1
            tallies[m].cpuSeconds += method.cpu.reduce(0, +)
            return starts.indices.map { k in
                if let error = method.errors[k] {
                    tallies[m].fail("\(name): \(error)")
                    return .missing(steps: steps)
                }
                if let model = method.models[k] { models[m][model, default: 0] += 1 }
                let base = (i * starts.count + k) * perOrigin
                func row(_ r: Int) -> [Double] { Array(out[(base + r * steps)..<(base + (r + 1) * steps)]) }
                return DayForecast(mean: row(0), lower: [row(1), row(3)], upper: [row(2), row(4)])
            }
        }
    }
}
