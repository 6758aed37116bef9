import Foundation

/// A fresh temporary folder for one test, and CSV files written into it.
struct TestFolder {
    let path: String

    init() throws {
        path = (NSTemporaryDirectory() as NSString).appendingPathComponent("forewarn-evaluation-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Writes `text` to `name` under the folder and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let file = (path as NSString).appendingPathComponent(name)
        try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }

    /// A benchmark CSV of `values` one minute apart, with labels when given.
    static func csv(_ values: [Double], labels: [Bool]? = nil) -> String {
        var lines = ["timestamp,value" + (labels == nil ? "" : ",label")]
        for (i, v) in values.enumerated() {
            let label = labels.map { $0[i] ? ",1" : ",0" } ?? ""
            lines.append("\(1_577_836_800_000 + Int64(i) * 60_000),\(v)\(label)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
