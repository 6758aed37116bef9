import AnomalyModels
import Basics
import Foundation
import Synchronization

/// The forecasters' per-series state as the scorer left it after its latest batch, for the HTTP listener's
/// `/forecast`: the scoring task publishes a copy (copy-on-write arrays, so a publish costs one copy of the
/// state when the next batch changes it) and a request forecasts from its own copy, so neither ever waits on
/// the other for more than the swap. Forgotten after a rebalance, as the scorer's state is.
public final class LiveForecasts: Sendable {
    private let latest = Mutex<[String: (version: Int, scorer: ForecastScorer)]>([:])

    public init() {}

    func publish(model: String, version: Int, scorer: ForecastScorer) {
        latest.withLock { $0[model] = (version, scorer) }
    }

    func clear() { latest.withLock { $0.removeAll() } }

    /// What `/forecast` answers: rows, or why not (404: no such model or series; 400: a bad request).
    public enum Answer: Sendable {
        case rows(model: String, version: Int, coverages: [Double], rows: [HorizonForecast.Row])
        case notFound(String)
        case badRequest(String)
    }

    /// The most steps one request may ask for.
    public static let maximumSteps = 10_000

    /// Forecasts `series` with the served forecaster `model` from the cell after its latest event, over `horizon`
    /// (a duration such as 1h), with bands at `coverage` (comma-separated; default: the model's own).
    public func answer(model: String?, series: String?, horizon: String?, coverage: String?) -> Answer {
        guard let model, !model.isEmpty, let series, !series.isEmpty else {
            return .badRequest("give model=NAME&series=KEY&horizon=DURATION")
        }
        guard let entry = latest.withLock({ $0[model] }) else {
            return .notFound("no forecaster named '\(model)' has scored events here yet")
        }
        var scorer = entry.scorer
        let cadence = scorer.model.design.cadenceMs
        guard let text = horizon, let span = try? TimeSpan(parsing: text), span.milliseconds >= cadence else {
            return .badRequest("horizon must be a duration of at least one cadence step (\(cadence) ms), such as 1h")
        }
        let steps = Int((span.milliseconds + cadence - 1) / cadence)
        guard steps <= Self.maximumSteps else { return .badRequest("\(steps) steps is more than \(Self.maximumSteps)") }
        var coverages = [scorer.model.parameters.coverage]
        if let coverage {
            let parsed = coverage.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard !parsed.isEmpty, parsed.allSatisfy({ $0.map { $0 > 0 && $0 < 1 } ?? false }) else {
                return .badRequest("coverage must be numbers in (0, 1), such as 0.8,0.95")
            }
            coverages = parsed.compactMap { $0 }
        }
        guard scorer.model.seriesNames.contains(series) else {
            return .notFound("forecaster '\(model)' was not trained on series '\(series)'")
        }
        guard let last = scorer.lastTime(series: series) else {
            return .notFound("forecaster '\(model)' has not scored an event of series '\(series)' since it started")
        }
        do {
            let rows = try HorizonForecast.rows(&scorer, series: [series], start: last + cadence, steps: steps, coverages: coverages)
            return .rows(model: model, version: entry.version, coverages: coverages, rows: rows)
        } catch {
            return .badRequest("\(error)")
        }
    }
}

extension LiveForecasts.Answer {
    /// The HTTP status and body: `{"model":..,"version":..,"rows":[{"series","ts","field","forecast","lower","upper"}]}`
    /// (bands `lower_<c>`, `upper_<c>` for a coverage given), or the reason as text.
    public func response(ownCoverage: Bool) -> (status: Int, body: String, type: String) {
        switch self {
        case .notFound(let why): return (404, why + "\n", "text/plain")
        case .badRequest(let why): return (400, why + "\n", "text/plain")
        case .rows(let model, let version, let coverages, let rows):
            let names = coverages.map { c in
                ownCoverage ? ("lower", "upper") : ("lower_\(HorizonForecastWriter.label(c))", "upper_\(HorizonForecastWriter.label(c))")
            }
            let items = rows.map { row -> String in
                var members = [
                    "\"series\":\(HorizonForecastWriter.quoted(row.series))", "\"ts\":\(row.time)",
                    "\"field\":\(HorizonForecastWriter.quoted(row.field))", "\"forecast\":\(HorizonForecastWriter.number(row.forecast))",
                ]
                for (k, n) in names.enumerated() {
                    members.append("\"\(n.0)\":\(HorizonForecastWriter.number(row.lower[k]))")
                    members.append("\"\(n.1)\":\(HorizonForecastWriter.number(row.upper[k]))")
                }
                return "{" + members.joined(separator: ",") + "}"
            }
            let body = "{\"model\":\(HorizonForecastWriter.quoted(model)),\"version\":\(version),\"rows\":[\(items.joined(separator: ","))]}\n"
            return (200, body, "application/json")
        }
    }
}
