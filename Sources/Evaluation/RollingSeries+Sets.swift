import EventArchive
import Foundation

extension RollingSeries {
    /// The series of benchmark set `name` under `root` (the layout of `DetectionSet`): each value column of
    /// each file, a training file followed by its test file as one stream (its rows unlabelled).
    public static func load(set name: String, root: String) throws(DetectionDataError) -> [RollingSeries] {
        var out: [RollingSeries] = []
        for file in try DetectionSet.discover(root: root, name: name).files {
            let whole = try LabelledSeries.read(csv: file.path, name: file.name)
            var series = whole
            if case .trainFile(let trainPath) = file.split {
                let train = try LabelledSeries.read(csv: trainPath, name: file.name)
                guard train.fieldNames == whole.fieldNames else {
                    throw DetectionDataError(file: trainPath, line: 1, reason: "its value columns differ from \(file.path)'s")
                }
                if let last = train.time.last, let first = whole.time.first, first <= last {
                    throw DetectionDataError(file: file.path, reason: "the test part does not follow the training part in time")
                }
                series.time = train.time + whole.time
                series.fields = whole.fields.indices.map { train.fields[$0] + whole.fields[$0] }
                series.labels = [Bool](repeating: false, count: train.count) + (whole.labels ?? [])
            }
            let labels = series.labels ?? [Bool](repeating: false, count: series.count)
            for (f, field) in series.fieldNames.enumerated() {
                out.append(
                    RollingSeries(
                        set: name, name: series.fieldNames.count > 1 ? "\(file.name)/\(field)" : file.name,
                        time: series.time, values: series.fields[f], labels: labels))
            }
        }
        return out
    }

    /// The `kwh` series of `count` simulated meters over `days` days at 5-minute cadence (the simulator's
    /// meters, as `bench forecast`'s accuracy figures use them), labelled where the simulator injected an
    /// anomaly into `kwh` (dropouts leave no event).
    public static func meters(count: Int, days: Int, seed: UInt64) -> [RollingSeries] {
        let simulator = Simulator(config: SimulationConfig(series: count, days: days, seed: seed))
        var byName: [String: Int] = [:]
        var out: [RollingSeries] = []
        let labels = simulator.run { batch in
            guard let kwh = batch.fieldNames.firstIndex(of: "kwh") else { return }
            for row in 0..<batch.count {
                let name = batch.seriesNames[Int(batch.seriesCodes[row])]
                let i = byName[name] ?? out.count
                if i == out.count {
                    byName[name] = i
                    out.append(RollingSeries(set: "meters", name: name, time: [], values: [], labels: []))
                }
                out[i].time.append(batch.time[row])
                out[i].values.append(batch.fields[kwh][row])
                out[i].labels.append(false)
            }
        }
        for label in labels where label.field == "kwh" && label.kind != "dropout" {
            guard let i = byName[label.series], let row = out[i].time.firstIndex(of: label.time) else { continue }
            out[i].labels[row] = true
        }
        return out
    }
}
