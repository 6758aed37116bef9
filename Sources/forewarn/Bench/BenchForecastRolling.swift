import Evaluation
import Foundation

extension BenchForecast {
    /// The rolling-origin bench these options ask for.
    var rollingBench: RollingForecastBench {
        var bench = RollingForecastBench()
        if let data { bench.root = data }
        if let sets { bench.sets = sets.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        if let origins { bench.origins = origins }
        if let maxSeries { bench.maxSeries = maxSeries }
        if let historyDays { bench.historyDays = historyDays }
        if let meters { bench.meters = meters }
        bench.seed = seed
        return bench
    }

    /// `--rolling`: each set as it finishes, then the mean over sets.
    func runRolling() throws {
        let bench = rollingBench
        let scratch = (NSTemporaryDirectory() as NSString).appendingPathComponent("forewarn-rolling-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        var child: ReferenceChild?
        if !noReferences {
            do { child = try ReferenceChild.forecasting(python: python ?? "python3", scratch: scratch) } catch {
                throw CommandFailure("\(error)")
            }
        }
        defer { child?.close() }
        if !json {
            print(RollingReport.heading(bench, versions: child?.versions))
        }
        let began = ContinuousClock.now
        let progress = ProgressDisplay(json: json)
        defer { progress.close() }
        var results: [RollingSetResult] = []
        for set in bench.sets {
            let result: RollingSetResult
            do {
                result = try bench.run(set: set, child: child, scratch: scratch, progress: progress) { line in
                    progress.pause { FileHandle.standardError.write(Data((line + "\n").utf8)) }
                }
            } catch let error as ReferenceError { throw CommandFailure("\(set): \(error)") }
            results.append(result)
            try progress.pause {
                if json { for line in RollingReport.json(result) { try printJSON(line) } } else { print(RollingReport.text(result)) }
            }
            fflush(nil)
        }
        let mean = RollingReport.mean(results)
        if json {
            for line in RollingReport.json(mean: mean) { try printJSON(line) }
        } else {
            print(RollingReport.text(mean: mean, sets: results.filter { !$0.evaluated.isEmpty }.map(\.set)))
            print(String(format: "wall %.0f s", (ContinuousClock.now - began).inSeconds))
        }
    }
}
