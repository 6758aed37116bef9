import Foundation

/// The raw little-endian float64 files a case is handed to the child Python in (`ReferenceScript`).
enum CaseFiles {
    static func write(_ values: [Double], to path: String) throws {
        let data = values.withUnsafeBufferPointer { Data(buffer: $0) }
        try data.write(to: URL(fileURLWithPath: path))
    }

    static func read(_ path: String) throws -> [Double] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return data.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
    }

    /// The series' fields, row-major (`rows × fields`).
    static func rowMajor(_ series: LabelledSeries) -> [Double] {
        let d = series.fieldNames.count, n = series.count
        var out = [Double](repeating: 0, count: n * d)
        for f in 0..<d { for i in 0..<n { out[i * d + f] = series.fields[f][i] } }
        return out
    }

    static func ones(_ flags: [Bool]) -> [Double] { flags.map { $0 ? 1 : 0 } }
}
