import DurableFiles
import Foundation

/// Writes `forewarn forecast` rows (docs/formats.md, "Forecast files"): CSV, or JSON lines, complete or not at all.
public enum HorizonForecastWriter {
    /// `ownCoverage`: the one band is the model's own, in `lower` and `upper`; else `lower_<c>` and `upper_<c>`.
    public static func write(_ f: HorizonForecast, ownCoverage: Bool, json: Bool, to path: String) throws {
        let several = f.fieldNames.count > 1
        let names = f.coverages.map { c -> (String, String) in
            ownCoverage ? ("lower", "upper") : ("lower_\(label(c))", "upper_\(label(c))")
        }
        var text = ""
        if !json {
            text += (["series", "ts"] + (several ? ["field"] : []) + ["forecast"] + names.flatMap { [$0.0, $0.1] })
                .joined(separator: ",") + "\n"
        }
        for row in f.rows {
            if json {
                var members = ["\"series\":\(quoted(row.series))", "\"ts\":\(row.time)"]
                if several { members.append("\"field\":\(quoted(row.field))") }
                members.append("\"forecast\":\(number(row.forecast))")
                for (k, n) in names.enumerated() {
                    members.append("\"\(n.0)\":\(number(row.lower[k]))")
                    members.append("\"\(n.1)\":\(number(row.upper[k]))")
                }
                text += "{" + members.joined(separator: ",") + "}\n"
            } else {
                let cell = { (v: Double) in v.isFinite ? "\(v)" : "" }
                var cells = [csv(row.series), "\(row.time)"] + (several ? [csv(row.field)] : []) + [cell(row.forecast)]
                for k in names.indices { cells += [cell(row.lower[k]), cell(row.upper[k])] }
                text += cells.joined(separator: ",") + "\n"
            }
        }
        try Durable.replace(path) { temporary in try Data(text.utf8).write(to: URL(fileURLWithPath: temporary)) }
    }

    /// 0.8 → "0.8", 0.95 → "0.95": the coverage as given, without trailing zeros.
    static func label(_ c: Double) -> String {
        var s = String(format: "%.6f", c)
        while s.hasSuffix("0") { s.removeLast() }
        return s
    }

    static func number(_ v: Double) -> String { v.isFinite ? "\(v)" : "null" }

    static func csv(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func quoted(_ s: String) -> String { PredictionEncoder.quoted(s) }
}
