import Evaluation
import Foundation

/// How `bench detection` prints its results: tables, or JSON objects for JSON lines.
enum DetectionReport {
    static let header = "  detector                VUS-PR  AUC-PR   pt-P   pt-R   ev-P   ev-R  flagged incidents   fit s  score s"
    static let summaryHeader = "set    detector                files fail  VUS-PR  AUC-PR   pt-P   pt-R   ev-P   ev-R"

    static func text(_ r: FileResult) -> String {
        var lines = ["\(r.set)/\(r.name)"]
        if let failure = r.failure {
            lines[0] += ": not evaluated: \(failure)"
            return lines.joined(separator: "\n")
        }
        lines[0] += "  (\(r.split.map { "\($0)" } ?? ""): train \(r.trainRows), test \(r.testRows) rows x \(r.fields) fields; "
            + "\(r.labelledRows) labelled rows in \(r.segments) segments; window \(r.period.map(String.init) ?? "-"))"
        lines.append(header)
        for d in r.detectors {
            let name = "  " + d.detector.padding(toLength: 22, withPad: " ", startingAt: 0)
            if let failure = d.failure {
                lines.append(name + "  FAILED: " + failure)
                continue
            }
            let f = d.flags
            var line = name + String(
                format: "  %6.3f  %6.3f  %5.3f  %5.3f  %5.3f  %5.3f  %7d  %8d", d.vusPR ?? .nan, d.aucPR ?? .nan,
                f?.pointPrecision ?? .nan, f?.pointRecall ?? .nan, f?.eventPrecision ?? .nan, f?.eventRecall ?? .nan,
                f?.flaggedRows ?? 0, f?.incidents ?? 0)
            if let fit = d.fitSeconds, let score = d.scoreSeconds { line += String(format: "  %6.2f  %7.2f", fit, score) }
            if let unscored = d.unscored, unscored > 0 { line += "  (\(unscored) unscored)" }
            lines.append(line)
            for note in d.notes { lines.append("      note: \(note)") }
        }
        if !r.hitRates.isEmpty {
            let rates = r.hitRates.keys.sorted().map { String(format: "%@ %.3f", $0, r.hitRates[$0]!) }.joined(separator: ", ")
            lines.append("  interpretation (HitRate@P% over \(r.interpretedRows) labelled rows): \(rates)")
        }
        return lines.joined(separator: "\n")
    }

    static func text(_ s: DetectionSummary, results: [FileResult], seconds: Double, versions: [String: String]) -> String {
        var lines = ["", "Means (a failed file counts 0; `mean` is the mean of the set means)", summaryHeader]
        for row in s.rows {
            if row.scope == DetectionSummary.overall, lines.last?.hasPrefix(DetectionSummary.overall) == false { lines.append("") }
            lines.append(
                row.scope.padding(toLength: 6, withPad: " ", startingAt: 0) + " "
                    + row.detector.padding(toLength: 22, withPad: " ", startingAt: 0)
                    + String(
                        format: "  %5d %4d  %6.3f  %6.3f  %5.3f  %5.3f  %5.3f  %5.3f", row.files, row.failures, row.vusPR, row.aucPR,
                        row.pointPrecision, row.pointRecall, row.eventPrecision, row.eventRecall))
        }
        let rates = DetectionSummary.hitRates(results)
        if !rates.isEmpty {
            lines.append("\nInterpretation: HitRate@P% of the metrics named first, mean over the files of the sets that label them")
            for r in rates { lines.append(String(format: "%@ %@  %.3f  (%d files)", r.set.padding(toLength: 6, withPad: " ", startingAt: 0), r.key.padding(toLength: 26, withPad: " ", startingAt: 0), r.mean, r.files)) }
        }
        let v = versions.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        lines.append(String(format: "\n%.0f s in all; evaluated with %@", seconds, v))
        return lines.joined(separator: "\n")
    }

    static func json(_ r: FileResult) -> [String: Any] {
        var out: [String: Any] = ["type": "file", "set": r.set, "file": r.name]
        if let failure = r.failure {
            out["failure"] = failure
            return out
        }
        out["split"] = r.split.map { "\($0)" } ?? ""
        out["train_rows"] = r.trainRows
        out["test_rows"] = r.testRows
        out["fields"] = r.fields
        out["labelled_rows"] = r.labelledRows
        out["segments"] = r.segments
        if let period = r.period { out["window"] = period }
        if !r.hitRates.isEmpty {
            out["hit_rates"] = r.hitRates
            out["interpreted_rows"] = r.interpretedRows
        }
        out["detectors"] = r.detectors.map(json)
        return out
    }

    static func json(_ d: DetectorResult) -> [String: Any] {
        var out: [String: Any] = ["detector": d.detector, "forewarn": d.isForewarn, "metrics": finite(d.metrics)]
        if let failure = d.failure { out["failure"] = failure }
        if let f = d.flags {
            out["flags"] = [
                "point_precision": f.pointPrecision, "point_recall": f.pointRecall, "event_precision": f.eventPrecision,
                "event_recall": f.eventRecall, "flagged_rows": f.flaggedRows, "incidents": f.incidents,
                "labelled_rows": f.labelledRows, "segments": f.segments,
            ]
        }
        if let fit = d.fitSeconds { out["fit_seconds"] = fit }
        if let score = d.scoreSeconds { out["score_seconds"] = score }
        if let unscored = d.unscored { out["unscored"] = unscored }
        if !d.fitMetrics.isEmpty { out["fit_metrics"] = finite(d.fitMetrics) }
        if !d.notes.isEmpty { out["notes"] = d.notes }
        if !d.fitLines.isEmpty { out["fit"] = d.fitLines }
        return out
    }

    static func json(_ row: DetectionSummary.Row) -> [String: Any] {
        [
            "type": "mean", "scope": row.scope, "detector": row.detector, "files": row.files, "failures": row.failures,
            "vus_pr": row.vusPR, "auc_pr": row.aucPR, "point_precision": row.pointPrecision, "point_recall": row.pointRecall,
            "event_precision": row.eventPrecision, "event_recall": row.eventRecall,
        ]
    }

    /// JSON has no NaN: non-finite figures are left out.
    private static func finite(_ figures: [String: Double]) -> [String: Double] { figures.filter { $0.value.isFinite } }
}
