import AnomalyModels
import EventArchive
import Foundation
import ModelKinds

/// What the report shows of a version at work: a window of events scored by the saved model through the
/// same `ScoringModel` every scoring path uses (warmed on the history before it), so the flags, forecasts
/// and explanations in the report are the ones `score` and `serve` would give.
public enum ReportWindow {
    /// At most this many series are scored for the report (an even sample of them).
    static let maximumSeries = 500
    /// Rows of the top-anomalies table.
    static let topAnomalies = 15

    /// The sections for `window` (in any row order) scored by `model`; `labels` per row when the archive has
    /// them; `what` names the window in headings ("the held-out day").
    public static func sections(
        model: any ScoringModel, history: ForecastColumns, window: ForecastColumns, labels: [Bool]? = nil, what: String
    ) -> [ReportSection] {
        let keep = sampledSeries(window)
        let rows = window.time.indices.filter { keep[Int(window.seriesCodes[$0])] }
        let order = rows.sorted { (window.time[$0], $0) < (window.time[$1], $1) }
        let events = EventBatch(window.rows(at: order))
        guard !events.isEmpty, let fieldColumns = model.columns(in: events) else { return [] }
        let recent = (history.time.max() ?? 0) - model.warmUpSpan
        let warm = history.time.indices.filter { history.time[$0] >= recent && keep[Int(history.seriesCodes[$0])] }
        let warmUp = model.warmUpSpan > 0 && !warm.isEmpty ? EventBatch(history.rows(at: warm)) : nil
        let p = model.score(events, columns: fieldColumns, state: model.makeState(warmingUpOn: warmUp))
        let labelled = labels.map { l in order.map { l[$0] } }
        return summary(events, p, labelled, what: what) + chart(model, events, fieldColumns, p, what: what)
            + [histogram(events, p, what: what)] + top(model, events, fieldColumns, p, what: what) + drivers(p, what: what)
    }

    private static func sampledSeries(_ window: ForecastColumns) -> [Bool] {
        var present = [Bool](repeating: false, count: window.seriesNames.count)
        for c in window.seriesCodes { present[Int(c)] = true }
        let codes = present.indices.filter { present[$0] }
        let every = max(1, (codes.count + maximumSeries - 1) / maximumSeries)
        var keep = [Bool](repeating: false, count: present.count)
        for (i, c) in codes.enumerated() where i % every == 0 { keep[c] = true }
        return keep
    }

    private static func summary(_ e: EventBatch, _ p: PredictionColumns, _ labels: [Bool]?, what: String) -> [ReportSection] {
        let flagged = p.anomaly.indices.filter { p.anomaly[$0] }
        let series = Set(flagged.map { e.seriesCodes[$0] })
        let incidents = p.incidentOpens.map { o in flagged.filter { o[$0] }.count }
        var rows: [[String]] = [
            ["events scored", "\(e.count) of \(Set(e.seriesCodes).count) series"],
            ["flagged", String(format: "%d (%.3f%%) in %d series", flagged.count, 100 * Double(flagged.count) / Double(max(1, e.count)), series.count)],
        ]
        if let incidents { rows.append(["incidents opened", "\(incidents)"]) }
        if let labels {
            let hits = flagged.filter { labels[$0] }.count, total = labels.filter { $0 }.count
            rows.append(["labelled anomalies found", "\(hits) of \(total) (precision \(ratio(hits, flagged.count)), recall \(ratio(hits, total)))"])
        }
        return [.table(heading: "What was flagged in \(what)", header: ["figure", "value"], rows: rows)]
    }

    private static func ratio(_ a: Int, _ b: Int) -> String { b > 0 ? String(format: "%.2f", Double(a) / Double(b)) : "-" }

    /// The series with the most flags (else the most surprising event's), on the field that drove them.
    private static func chart(
        _ model: any ScoringModel, _ e: EventBatch, _ fieldColumns: [Int], _ p: PredictionColumns, what: String
    ) -> [ReportSection] {
        var flags = [Int](repeating: 0, count: e.seriesNames.count)
        for i in p.anomaly.indices where p.anomaly[i] { flags[Int(e.seriesCodes[i])] += 1 }
        let best = e.count > 0 ? (0..<e.count).max { p.rank($0) < p.rank($1) } : nil
        guard let pick = flags.indices.max(by: { flags[$0] < flags[$1] }).flatMap({ flags[$0] > 0 ? $0 : nil })
            ?? best.map({ Int(e.seriesCodes[$0]) })
        else { return [] }
        let mine = (0..<e.count).filter { Int(e.seriesCodes[$0]) == pick }
        var votes = [String: Int]()
        for i in mine where p.anomaly[i] {
            if let name = p.explanation?.fieldName(i) ?? p.drivers?.list(i).first?.name { votes[name, default: 0] += 1 }
        }
        let names = model.featureNames
        let field = votes.filter { names.contains($0.key) }.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? names[0]
        let f = names.firstIndex(of: field) ?? 0
        let column = fieldColumns[f]
        let x = p.explanation
        return [
            .timeSeries(
                heading: "\(field) of series \(e.seriesNames[pick]) in \(what) (\(flags[pick]) flagged)",
                unit: field, time: mine.map { e.time[$0] }, actual: mine.map { e.fields[column][$0] },
                forecast: x.map { x in mine.map { x.fieldForecast[f][$0] } },
                lower: x.map { x in mine.map { x.fieldLower[f][$0] } }, upper: x.map { x in mine.map { x.fieldUpper[f][$0] } },
                flagged: mine.map { p.anomaly[$0] })
        ]
    }

    private static func histogram(_ e: EventBatch, _ p: PredictionColumns, what: String) -> ReportSection {
        let tails = p.tail != nil
        return .scoreHistogram(
            heading: "How unusual the events of \(what) were",
            axis: tails ? "−log10 tail probability (how rare against the series' normal)" : "score",
            values: (0..<e.count).map { p.rank($0) }, flagged: p.anomaly)
    }

    private static func top(
        _ model: any ScoringModel, _ e: EventBatch, _ fieldColumns: [Int], _ p: PredictionColumns, what: String
    ) -> [ReportSection] {
        let flagged = p.anomaly.indices.filter { p.anomaly[$0] }.sorted { p.rank($0) > p.rank($1) }.prefix(topAnomalies)
        guard !flagged.isEmpty else { return [] }
        func n(_ v: Double?) -> String { v.map { $0.isFinite ? PlotTicks.number($0) : "-" } ?? "-" }
        let header = ["time (UTC)", "series", "field", "actual", "expected", "band", "deviation (σ)", "drivers", "rank"]
        var rows: [[String]] = flagged.map { i in
            let x = p.explanation
            let f = x.map { Int($0.field[i]) } ?? -1
            // Without an explanation, the field is the top driver's when it is one of the model's fields.
            let named = x?.fieldName(i) ?? p.drivers?.list(i).first?.name
            let column = named.flatMap { model.featureNames.firstIndex(of: $0) }.map { fieldColumns[$0] }
            return [
                String(EventTime.format(e.time[i]).prefix(16)).replacingOccurrences(of: "T", with: " "),
                e.seriesNames[Int(e.seriesCodes[i])], named ?? "-",
                n(x?.actual[i] ?? column.map { e.fields[$0][i] }), f >= 0 ? n(x?.fieldForecast[f][i]) : "-",
                f >= 0 ? "\(n(x?.fieldLower[f][i])) – \(n(x?.fieldUpper[f][i]))" : "-",
                x.map { String(format: "%+.1f", $0.sigmas[i]) } ?? "-",
                p.drivers?.text(i).replacingOccurrences(of: ";", with: ", ") ?? "-", String(format: "%.4g", p.rank(i)),
            ]
        }
        // Columns this model never fills are left out.
        let shown = header.indices.filter { c in rows.contains { $0[c] != "-" } }
        rows = rows.map { r in shown.map { r[$0] } }
        return [
            .table(heading: "Top anomalies of \(what), most unusual first", header: shown.map { header[$0] }, rows: rows)
        ]
    }

    /// For models that attribute their flags: each input's share of the credit over every flagged event.
    private static func drivers(_ p: PredictionColumns, what: String) -> [ReportSection] {
        guard let d = p.drivers else { return [] }
        var credit = [String: Double](), first = [String: Int]()
        var total = 0.0
        for i in p.anomaly.indices where p.anomaly[i] {
            let list = d.list(i)
            for (k, entry) in list.enumerated() {
                credit[entry.name, default: 0] += entry.share
                total += entry.share
                if k == 0 { first[entry.name, default: 0] += 1 }
            }
        }
        guard total > 0 else { return [] }
        let rows = credit.sorted { $0.value > $1.value }.map {
            [$0.key, String(format: "%.0f%%", 100 * $0.value / total), "\(first[$0.key] ?? 0)"]
        }
        return [.table(heading: "What drove the flags of \(what)", header: ["input", "share of the credit", "events it led"], rows: rows)]
    }
}

extension ReportWindow {
    /// The sections for `fitted` scoring `window` after `history`: the model saved to a scratch file and loaded
    /// as every scorer loads it. A model that cannot be scored for the report gets a line saying why, never a
    /// failed training.
    static func sections(
        fitted: FittedModel, kind: any ModelKind, history: ForecastColumns, window: ForecastColumns, labels: [Bool]? = nil,
        what: String
    ) -> [ReportSection] {
        let scratch = NSTemporaryDirectory() + "forewarn-report-\(getpid())-\(UUID().uuidString).h5"
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        do {
            try fitted.save(scratch, [:])
            let model = try kind.load(path: scratch)
            return sections(model: model, history: history, window: window, labels: labels, what: what)
        } catch {
            return [.table(heading: "Scored events", header: ["not shown"], rows: [["the model could not score \(what): \(error)"]])]
        }
    }

    /// The training window's last day as the window, everything before it as the history.
    static func lastDay(of data: ForecastColumns) -> (history: ForecastColumns, window: ForecastColumns)? {
        guard let last = data.time.max() else { return nil }
        let split = last - 86_400_000
        return (data.rows { $0 <= split }, data.rows { $0 > split })
    }
}
