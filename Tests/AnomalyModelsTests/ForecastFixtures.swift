import Foundation
import AnomalyModels
import EventArchive

/// Simulated meter streams for the forecaster tests: the first `trainDays` days to fit on,
/// the rest held out with one label per row (a spike, dip, level shift or sag injected there).
struct SimulatedStreams {
    var training: ForecastColumns
    var heldOut: ForecastColumns
    var heldOutLabels: [Bool]

    init(series: Int, days: Int, trainDays: Int, seed: UInt64 = 7) {
        let config = SimulationConfig(series: series, days: days, seed: seed)
        let simulator = Simulator(config: config)
        var all = EventBatch(fieldNames: simulator.spec.fields)
        var names: [String] = []
        var codes: [String: Int32] = [:]
        var time: [Int64] = [], series: [Int32] = [], kwh: [Double] = [], voltage: [Double] = []
        let labels = simulator.run { batch in
            for row in 0..<batch.count {
                let name = batch.series(at: row)
                let code = codes[name] ?? Int32(names.count)
                if codes[name] == nil { codes[name] = code; names.append(name) }
                time.append(batch.time[row]); series.append(code)
                kwh.append(batch.fields[0][row]); voltage.append(batch.fields[1][row])
            }
        }
        all.fieldNames = simulator.spec.fields
        let split = config.start + Int64(trainDays) * 86_400_000
        let marked = Set(labels.filter { $0.kind != "dropout" }.map { "\($0.series)@\($0.time)" })
        func take(_ keep: (Int64) -> Bool) -> ForecastColumns {
            let rows = time.indices.filter { keep(time[$0]) }
            return ForecastColumns(
                time: rows.map { time[$0] }, seriesCodes: rows.map { series[$0] }, seriesNames: names,
                fieldNames: all.fieldNames, fields: [rows.map { kwh[$0] }, rows.map { voltage[$0] }])
        }
        training = take { $0 < split }
        heldOut = take { $0 >= split }
        let held = heldOut
        heldOutLabels = (0..<held.count).map { marked.contains("\(names[Int(held.seriesCodes[$0])])@\(held.time[$0])") }
    }
}

/// Small hand-made series on a 1-hour cadence with a daily period, for the fast tests.
enum HourlySeries {
    static let hour: Int64 = 3_600_000
    static let start: Int64 = 1_767_225_600_000

    static var parameters: ForecastParameters {
        var p = ForecastParameters()
        p.cadenceMs = hour
        p.periodsMs = [86_400_000]
        p.harmonics = [[3]]
        p.calendar = false
        p.lags = [1]
        p.levelRate = [0.02]
        p.validationFolds = 2
        return p
    }

    /// `days` days of hourly values per series, `value(series, hour index)`; NaN values are kept as NaN.
    static func columns(
        series: [String], days: Int, from: Int = 0, _ value: (Int, Int) -> Double
    ) -> ForecastColumns {
        var time: [Int64] = [], codes: [Int32] = [], values: [Double] = []
        for h in from..<(from + days * 24) {
            for s in series.indices {
                time.append(start + Int64(h) * hour)
                codes.append(Int32(s))
                values.append(value(s, h))
            }
        }
        return ForecastColumns(time: time, seriesCodes: codes, seriesNames: series, fieldNames: ["load"], fields: [values])
    }

    /// A daily sine around 100 with a little deterministic noise.
    static func daily(_ s: Int, _ h: Int) -> Double {
        let phase = 2 * Double.pi * Double(h % 24) / 24
        let noise = Double((h * 7919 + s * 104_729) % 1000) / 1000 - 0.5
        return 100 + 10 * Double(s + 1) * sin(phase) + noise
    }
}
