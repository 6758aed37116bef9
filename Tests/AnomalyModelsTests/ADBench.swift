import AnomalyModels
import Foundation

/// The labelled ADBench sets shipped in the shared benchmarks folder beside the repository.
enum ADBench {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/benchmarks/adbench")

    /// Features (all columns but the last) and labels (the last column, 1 = outlier).
    static func load(_ name: String) throws -> (FeatureMatrix, [Bool]) {
        let text = try String(contentsOf: folder.appendingPathComponent("\(name).csv"), encoding: .utf8)
        var lines = text.split(separator: "\n")
        let header = lines.removeFirst().split(separator: ",")
        let d = header.count - 1
        var values: [Double] = []
        var labels: [Bool] = []
        values.reserveCapacity(lines.count * d)
        for line in lines {
            let cells = line.split(separator: ",")
            for c in cells.prefix(d) { values.append(Double(c) ?? .nan) }
            labels.append(cells.last.map { Double($0) == 1 } ?? false)
        }
        return (FeatureMatrix(rows: labels.count, columns: d, values: values), labels)
    }

    /// scikit-learn's mean AUC and its spread over seeds, from reference.json.
    static func sklearnAUC(_ name: String) throws -> (mean: Double, std: Double) {
        let data = try Data(contentsOf: folder.appendingPathComponent("reference.json"))
        let root = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let sets = root?["datasets"] as? [String: Any]
        let entry = (sets?[name] as? [String: Any])?["sklearn"] as? [String: Any]
        guard let auc = entry?["auc_mean"] as? Double, let std = entry?["auc_std"] as? Double else {
            throw CocoaError(.fileReadCorruptFile)
        }
        return (auc, std)
    }
}
