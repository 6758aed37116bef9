import Foundation

extension Simulator {
    /// Writes the labels as CSV (`series,time,time_ms,kind,field`), the readable time
    /// beside the exact one so people and scripts can both use the file. Written
    /// atomically, so a reader never sees half a file.
    public static func writeLabels(_ anomalies: [InjectedAnomaly], to url: URL) throws {
        var text = "series,time,time_ms,kind,field\n"
        text.reserveCapacity(64 * (anomalies.count + 1))
        for a in anomalies {
            text += "\(cell(a.series)),\(EventTime.format(a.time)),\(a.time),\(cell(a.kind)),\(cell(a.field))\n"
        }
        try Data(text.utf8).write(to: url, options: .atomic)
    }

    /// An RFC 4180 cell: quoted only when it must be.
    private static func cell(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
