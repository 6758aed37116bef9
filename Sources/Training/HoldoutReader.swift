import AnomalyModels
import EventArchive
import Foundation
import ModelKinds

extension Holdout {
    /// The window [from, to) of `fields`, with the simulator's (or anyone's) labels when the archive
    /// has them in `<stream>/_labels/*.csv`.
    public static func read(archive: String, stream: String, fields: [String], from: Int64, to: Int64) throws -> Holdout {
        let reader = try ArchiveReader(root: URL(fileURLWithPath: archive), stream: stream)
        var builder = ForecastColumnsBuilder(fieldNames: fields)
        _ = try reader.read(from: from, to: to, fields: fields) { try builder.append(ForecastColumns($0)) }
        let known = labels(archive: archive, stream: stream)
        let c = builder.columns
        return Holdout(columns: c, labels: (0..<c.count).map { known.contains("\(c.seriesNames[Int(c.seriesCodes[$0])])@\(c.time[$0])") })
    }

    /// "series@time" of every labelled anomaly of the stream.
    static func labels(archive: String, stream: String) -> Set<String> {
        let dir = "\(archive)/\(stream)/_labels"
        var out: Set<String> = []
        for file in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] where file.hasSuffix(".csv") {
            guard let text = try? String(contentsOfFile: "\(dir)/\(file)", encoding: .utf8) else { continue }
            for line in text.split(separator: "\n").dropFirst() {
                let cells = line.split(separator: ",", omittingEmptySubsequences: false)
                if cells.count >= 3 { out.insert("\(cells[0])@\(cells[2])") }
            }
        }
        return out
    }
}
