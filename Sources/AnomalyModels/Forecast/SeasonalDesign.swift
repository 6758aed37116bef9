import Foundation
import LinearAlgebra

/// The regressors every target of a model shares: intercept, linear trend,
/// Fourier terms per seasonal period and UTC weekend effects, evaluated at the
/// start of a cadence cell. Phases come from absolute epoch time, so a cell
/// gets the same features at fit and at scoring time.
public struct SeasonalDesign: Sendable, Equatable {
    public let cadenceMs: Int64
    public let periodsMs: [Int64]
    /// Harmonics per period (0 leaves the period out).
    public let harmonics: [Int]
    /// Weekend indicator and weekend × the first period's first `calendarHarmonics` harmonics; -1 for none.
    public let calendarHarmonics: Int
    public let trend: Bool
    /// Cell at which the trend is 0, and cells over which it rises by 1 (the training window).
    public let trendOriginCell: Int64
    public let trendSpanCells: Int64

    public init(
        cadenceMs: Int64, periodsMs: [Int64], harmonics: [Int], calendarHarmonics: Int, trend: Bool,
        trendOriginCell: Int64, trendSpanCells: Int64
    ) {
        self.cadenceMs = cadenceMs; self.periodsMs = periodsMs; self.harmonics = harmonics
        self.calendarHarmonics = calendarHarmonics; self.trend = trend
        self.trendOriginCell = trendOriginCell; self.trendSpanCells = max(1, trendSpanCells)
    }

    var calendarTerms: Int { calendarHarmonics < 0 ? 0 : 1 + 2 * min(calendarHarmonics, harmonics.first ?? 0) }

    public var columns: Int { 1 + (trend ? 1 : 0) + harmonics.reduce(0) { $0 + 2 * $1 } + calendarTerms }

    /// Columns the ridge penalty leaves alone (the intercept).
    var unpenalised: Int { 1 }

    /// Writes the `columns` features of cell `cell` to `out`.
    func features(cell: Int64, into out: UnsafeMutablePointer<Double>) {
        let t = cell &* cadenceMs
        var j = 0
        out[j] = 1; j += 1
        if trend {
            out[j] = Double(cell - trendOriginCell) / Double(trendSpanCells); j += 1
        }
        let firstStart = j
        for (p, k) in zip(periodsMs, harmonics) where k > 0 {
            let phase = Double(((t % p) + p) % p) / Double(p)
            let c1 = cos(2 * Double.pi * phase), s1 = sin(2 * Double.pi * phase)
            var c = c1, s = s1
            for _ in 0..<k {
                out[j] = c; out[j + 1] = s; j += 2
                (c, s) = (c * c1 - s * s1, s * c1 + c * s1)
            }
        }
        if calendarHarmonics >= 0 {
            let day = Int64((Double(t) / 86_400_000).rounded(.down))
            let weekend: Double = ((day + 3) % 7 + 7) % 7 >= 5 ? 1 : 0
            out[j] = weekend; j += 1
            for h in 0..<min(calendarHarmonics, harmonics.first ?? 0) {
                out[j] = weekend * out[firstStart + 2 * h]
                out[j + 1] = weekend * out[firstStart + 2 * h + 1]
                j += 2
            }
        }
    }

    /// The design matrix of `count` consecutive cells from `firstCell`, one row per cell.
    func matrix(firstCell: Int64, count: Int) -> Matrix {
        var x = Matrix(rows: count, columns: columns)
        let p = columns
        x.storage.withUnsafeMutableBufferPointer { buf in
            guard let base = buf.baseAddress else { return }
            for i in 0..<count { features(cell: firstCell + Int64(i), into: base + i * p) }
        }
        return x
    }
}
