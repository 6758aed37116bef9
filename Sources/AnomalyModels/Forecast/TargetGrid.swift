import LinearAlgebra

/// Every target's values on the stream's cadence: row `target` (series × fields +
/// field) of `values` holds one value per cell from `firstCell`, NaN where a cell
/// had no usable event. Irregular times, gaps and duplicates are resolved here.
struct TargetGrid {
    let firstCell: Int64
    let cells: Int
    let targets: Int
    /// targets × cells, row-major: each target's history is contiguous.
    var values: Matrix

    /// Cell of a time: cells start at multiples of the cadence since the epoch.
    static func cell(_ time: Int64, cadenceMs: Int64) -> Int64 {
        let q = time / cadenceMs
        return time % cadenceMs < 0 ? q - 1 : q
    }

    /// Times the forecaster accepts: ±2^53 ms (±285,000 years), so that every cell
    /// difference and trend value is exact and nothing can overflow.
    static let validTimes: ClosedRange<Int64> = -(1 << 53)...(1 << 53)

    /// Aggregates `data` (its series in their given order, its fields in `fieldOrder`)
    /// into cells. The grid spans the rows' times, widened to `window` when given.
    /// Throws `emptyTrainingData` when there is no row.
    init(
        _ data: ForecastColumns, fieldOrder: [Int], cadenceMs: Int64, aggregation: ForecastAggregation,
        window: Range<Int64>? = nil
    ) throws {
        guard var lo = data.time.min(), var hi = data.time.max() else { throw ModelError.emptyTrainingData }
        if let window, !window.isEmpty {
            lo = min(lo, window.lowerBound)
            hi = max(hi, window.upperBound - 1)
        }
        guard Self.validTimes.contains(lo), Self.validTimes.contains(hi) else {
            let bad = Self.validTimes.contains(lo) ? hi : lo
            throw ModelError.badParameter("training time \(bad) ms is outside ±2^53 ms: not an epoch-millisecond time")
        }
        firstCell = Self.cell(lo, cadenceMs: cadenceMs)
        let span = Self.cell(hi, cadenceMs: cadenceMs) - firstCell + 1
        guard span <= 250_000_000 / max(1, data.seriesNames.count * fieldOrder.count) else {
            throw ModelError.badParameter(
                "\(span) cells of \(cadenceMs) ms for \(data.seriesNames.count) series is too large a grid: "
                    + "check the cadence and the training window")
        }
        cells = Int(span)
        let fieldsCount = fieldOrder.count
        targets = data.seriesNames.count * fieldsCount
        let n = cells
        let empty: Double = aggregation == .count ? 0 : .nan
        var grid = Matrix(rows: targets, columns: n, repeating: empty)
        // Cells holding more than one value, and how many: rare (duplicates), so a
        // dictionary costs far less than a count per cell.
        var repeats: [Int: Int] = [:]
        var latest = aggregation == .last ? [Int64](repeating: .min, count: targets * n) : []
        let first = firstCell
        grid.storage.withUnsafeMutableBufferPointer { g in
            for row in 0..<data.count {
                let c = Int(Self.cell(data.time[row], cadenceMs: cadenceMs) - first)
                let base = Int(data.seriesCodes[row]) * fieldsCount
                for (k, f) in fieldOrder.enumerated() {
                    let v = data.fields[f][row]
                    let at = (base + k) * n + c
                    switch aggregation {
                    case .count: g[at] += 1
                    case .sum, .mean:
                        guard v.isFinite else { continue }
                        if g[at].isNaN {
                            g[at] = v
                        } else {
                            g[at] += v
                            repeats[at, default: 1] += 1
                        }
                    case .last:
                        guard v.isFinite, data.time[row] >= latest[at] else { continue }
                        latest[at] = data.time[row]
                        g[at] = v
                    }
                }
            }
            if aggregation == .mean {
                for (at, count) in repeats { g[at] /= Double(count) }
            }
        }
        values = grid
    }
}
