import AnomalyModels
import Foundation

/// Labelled CSVs of generated rows at a chosen width, for `bench isolation-forest --widths`:
/// feature j is Gaussian with mean j and standard deviation 1 + j mod 7 (so the
/// features differ in location and scale), and 1% of the rows are outliers, with
/// up to four of their features moved 5 standard deviations away. The values
/// are written as float32 numbers, so every reader parses the same doubles.
enum GaussianCSV {
    static func write(width: Int, rows: Int, seed: UInt64, to path: String) throws {
        var rng = RandomSource(seed: seed)
        var text = (0..<width).map { "f\($0)" }.joined(separator: ",") + ",label\n"
        text.reserveCapacity(rows * width * 11)
        var row = [Double](repeating: 0, count: width)
        for _ in 0..<rows {
            for j in 0..<width { row[j] = rng.normal() }
            let outlier = rng.below(100) == 0
            if outlier {
                for _ in 0..<min(width, 4) { row[rng.below(width)] += rng.below(2) == 0 ? 5 : -5 }
            }
            for j in 0..<width {
                text += "\(Float(Double(j) + Double(1 + j % 7) * row[j])),"
            }
            text += outlier ? "1\n" : "0\n"
        }
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            throw CommandFailure("cannot write \(path)")
        }
    }
}
