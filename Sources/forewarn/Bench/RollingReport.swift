import Evaluation
import Foundation

/// How `bench forecast --rolling` prints its results: a table per set (and on the mean over sets), the
/// coverage per horizon bucket, what was skipped and why, and the models chosen; or JSON lines.
enum RollingReport {
    static func heading(_ bench: RollingForecastBench, versions: [String: String]?) -> String {
        let refs = versions.map { v in v.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") }
        return """
            rolling-origin forecast bench: \(bench.origins) daily origins a series, a day ahead, \(bench.historyDays) days of \
            history, at most \(bench.maxSeries) series a set
            references: \(refs ?? "none (--no-references)")
            """
    }

    static func text(_ r: RollingSetResult) -> String {
        var lines = ["", "\(r.set): \(r.evaluated.count) of \(r.candidates) series evaluated\(cadences(r))"]
        if let failure = r.failure { lines.append("  not read: \(failure)") }
        for (kind, count, example) in skips(r) { lines.append("  skipped \(count): \(kind) (e.g. \(example))") }
        guard !r.evaluated.isEmpty else { return lines.joined(separator: "\n") }
        lines += table(r.figures)
        lines += buckets(r.figures)
        for (method, counts) in r.models where !counts.isEmpty {
            lines.append("  \(method) chose: " + counts.prefix(4).map { "\($0.model) (\($0.origins))" }.joined(separator: "; "))
        }
        for (method, f) in r.figures where f.failedOrigins > 0 { lines.append("  \(method) failed at \(f.failedOrigins) origin(s)") }
        return lines.joined(separator: "\n")
    }

    static func text(mean: [(method: String, figures: ForecastFigures)], sets: [String]) -> String {
        (["", "mean over the sets (\(sets.joined(separator: ", "))):"] + table(mean) + buckets(mean)).joined(separator: "\n")
    }

    /// Per method, the mean of its figures over the sets that measured it.
    static func mean(_ results: [RollingSetResult]) -> [(method: String, figures: ForecastFigures)] {
        RollingForecastBench.methods.compactMap { method in
            let per = results.compactMap { r in r.figures.first { $0.method == method }?.figures }
            return ForecastFigures(meanOf: per).map { (method, $0) }
        }
    }

    private static func table(_ rows: [(method: String, figures: ForecastFigures)]) -> [String] {
        var out = ["  method        MASE   cov80  cov95  worst80  worst95  CPU s/series  series  origins"]
        for (method, f) in rows {
            out.append(
                "  " + method.padding(toLength: 11, withPad: " ", startingAt: 0)
                    + String(
                        format: " %6.3f  %5.3f  %5.3f  %+7.3f  %+7.3f  %12.4f  %6d  %7d", f.mase, f.coverage[0], f.coverage[1],
                        f.worstBucket[0], f.worstBucket[1], f.cpuPerSeries, f.series, f.origins))
        }
        return out
    }

    private static func buckets(_ rows: [(method: String, figures: ForecastFigures)]) -> [String] {
        let labels = ForecastTally.bucketLabels
        var out = ["  coverage 80% / 95% by hours ahead: " + labels.joined(separator: " | ")]
        for (method, f) in rows {
            let cells = labels.indices.map { String(format: "%.3f/%.3f", f.bucketCoverage[0][$0], f.bucketCoverage[1][$0]) }
            out.append("  " + method.padding(toLength: 11, withPad: " ", startingAt: 0) + " " + cells.joined(separator: " | "))
        }
        return out
    }

    private static func cadences(_ r: RollingSetResult) -> String {
        guard !r.cadencesMs.isEmpty else { return "" }
        return " (cadence " + r.cadencesMs.sorted().map { $0 % 60_000 == 0 ? "\($0 / 60_000) min" : "\($0 / 1000) s" }.joined(separator: ", ") + ")"
    }

    /// Skips by kind: how many, and one series' detail.
    private static func skips(_ r: RollingSetResult) -> [(String, Int, String)] {
        var order: [String] = [], count: [String: Int] = [:], example: [String: String] = [:]
        for (series, reason) in r.skipped {
            if count[reason.kind] == nil { order.append(reason.kind); example[reason.kind] = "\(series): \(reason.detail)" }
            count[reason.kind, default: 0] += 1
        }
        return order.map { ($0, count[$0]!, example[$0]!) }
    }

    static func json(_ r: RollingSetResult) -> [[String: Any]] {
        var out: [[String: Any]] = r.figures.map { json($0.figures, method: $0.method, scope: r.set) }
        for (series, reason) in r.skipped {
            out.append(["type": "skipped", "set": r.set, "series": series, "kind": reason.kind, "reason": reason.detail])
        }
        if let failure = r.failure { out.append(["type": "set_failed", "set": r.set, "reason": failure]) }
        for (method, counts) in r.models {
            out.append(["type": "models", "set": r.set, "method": method, "counts": Dictionary(counts.map { ($0.model, $0.origins) }) { a, _ in a }])
        }
        return out
    }

    static func json(mean: [(method: String, figures: ForecastFigures)]) -> [[String: Any]] {
        mean.map { json($0.figures, method: $0.method, scope: "mean") }
    }

    private static func json(_ f: ForecastFigures, method: String, scope: String) -> [String: Any] {
        var line: [String: Any] = [
            "type": "figures", "set": scope, "method": method, "mase": number(f.mase), "cpu_s_per_series": number(f.cpuPerSeries),
            "series": f.series, "origins": f.origins, "failed_origins": f.failedOrigins,
        ]
        for (k, c) in DayForecast.coverages.enumerated() {
            let p = Int((c * 100).rounded())
            line["coverage_\(p)"] = number(f.coverage[k])
            line["worst_bucket_\(p)"] = number(f.worstBucket[k])
            line["buckets_\(p)"] = Dictionary(uniqueKeysWithValues: zip(ForecastTally.bucketLabels, f.bucketCoverage[k].map(number)))
        }
        return line
    }

    /// JSON has no NaN: a figure nothing measured is null.
    private static func number(_ d: Double) -> Any { d.isFinite ? d : NSNull() }
}
