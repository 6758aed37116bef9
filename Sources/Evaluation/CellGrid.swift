import AnomalyModels

/// A series on its cadence grid: the mean of its finite values in each cell (NaN for a cell without one),
/// and whether any event of the cell is a labelled anomaly. What every method's forecast is measured
/// against, and what the reference forecasters fit on.
struct CellGrid {
    /// Epoch ms of the first cell's start.
    let start: Int64
    let cadenceMs: Int64
    private(set) var values: [Double]
    private(set) var labelled: [Bool]

    /// The cells of `series` in [start, start + cells × cadence).
    init(_ series: RollingSeries, start: Int64, cells: Int, cadenceMs: Int64) {
        self.start = start
        self.cadenceMs = cadenceMs
        var sum = [Double](repeating: 0, count: cells), count = [Int](repeating: 0, count: cells)
        labelled = [Bool](repeating: false, count: cells)
        for row in 0..<series.count where series.time[row] >= start {
            let cell = Int((series.time[row] - start) / cadenceMs)
            guard cell < cells else { break }
            if series.labels[row] { labelled[cell] = true }
            guard series.values[row].isFinite else { continue }
            sum[cell] += series.values[row]
            count[cell] += 1
        }
        values = zip(sum, count).map { $1 > 0 ? $0 / Double($1) : .nan }
    }

    /// The cell that starts at `time` (a multiple of the cadence after `start`).
    func cell(at time: Int64) -> Int { Int((time - start) / cadenceMs) }

    /// The in-sample seasonal-naive MAE over cells [from, to): the mean |y[i] − y[i − season]| where both are
    /// finite, NaN where no pair is. The MASE scale.
    func naiveMAE(_ range: Range<Int>, season: Int) -> Double { SeasonalNaive.mae(values, lag: season, over: range) }
}
