import AnomalyModels
import ArgumentParser
import EventArchive
import Foundation
import Scoring

struct BenchIsolationForest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "isolation-forest",
        abstract: "Fit time, scoring throughput and ROC AUC of the isolation forest on labelled CSVs.",
        discussion: """
            For each CSV (features, then a 0/1 `label` column): fits --trees trees of
            256 samples for --seeds seeds (median fit time; mean AUC, its spread and
            each seed's in --json), scores every row --repeats times on one thread
            (median rows/s), and runs `forewarn score` end to end (parse, score,
            write CSV). With --compare-sklearn, scikit-learn does the same in the
            same run. Defaults to the ADBench sets in ../shared/benchmarks/adbench.

            Seed noise: at 100 trees one seed's AUC spreads by 0.01-0.015 on cardio
            and annthyroid in both libraries; at --trees 20000 it is under 0.001.

              swift build -c release
              .build/release/forewarn bench isolation-forest --compare-sklearn --python .venv/bin/python
            """
    )

    @Option(name: .customLong("input"), help: "A labelled CSV; repeatable.")
    var inputs: [String] = []

    @Option(help: "Seeds to fit (AUC is their mean).")
    var seeds: Int = 5

    @Option(help: "Trees per forest (the reference figures use 100).")
    var trees: Int = 100

    @Option(help: "Scoring passes (throughput is their median).")
    var repeats: Int = 5

    @Flag(help: "Use hyperplane cuts (extended isolation forest).")
    var extended = false

    @Flag(help: "Run scikit-learn on the same data in the same run.")
    var compareSklearn = false

    @Option(help: "Python with scikit-learn, for --compare-sklearn.")
    var python = "python3"

    @Flag(help: "Print JSON lines instead of a table.")
    var json = false

    func run() throws {
        let files = inputs.isEmpty ? Self.adbench() : inputs
        guard !files.isEmpty else { throw ValidationError("no --input given and ../shared/benchmarks/adbench not found") }
        if !json {
            print("data set          rows  cols  fit ms  score rows/s   AUC     e2e s\(compareSklearn ? "   sklearn fit ms  rows/s   AUC    score x  fit x" : "")")
        }
        for file in files { try bench(file) }
    }

    static func adbench() -> [String] {
        let dir = "../shared/benchmarks/adbench"
        let names = ["shuttle", "http", "smtp", "mammography", "cardio", "annthyroid"]
        return names.map { "\(dir)/\($0).csv" }.filter { FileManager.default.fileExists(atPath: $0) }
    }

    private func bench(_ path: String) throws {
        let (x, labels, names) = try LabelledCSV.load(path)
        var parameters = IsolationForestParameters()
        parameters.extended = extended
        parameters.trees = trees
        parameters.contamination = nil  // as the reference: no scoring pass inside fit
        var fits: [Double] = [], aucs: [Double] = []
        var forest: IsolationForest?
        for seed in 0..<seeds {
            parameters.seed = UInt64(seed)
            let (fitted, seconds) = try timed { try IsolationForest.fit(x, featureNames: names, parameters: parameters) }
            fits.append(seconds)
            aucs.append(rocAUC(scores: fitted.score(x), labels: labels) ?? .nan)
            forest = fitted
        }
        guard let forest else { throw ValidationError("--seeds must be at least 1") }
        var passes: [Double] = []
        for _ in 0..<max(1, repeats) { passes.append(measure { _ = forest.score(x) }) }
        let model = NSTemporaryDirectory() + "forewarn-bench-\(getpid()).h5"
        let scored = NSTemporaryDirectory() + "forewarn-bench-\(getpid()).csv"
        defer { try? FileManager.default.removeItem(atPath: model); try? FileManager.default.removeItem(atPath: scored) }
        try forest.save(to: model)
        let e2e = try measure {
            let scorer = try OfflineScorer.load(path: model, timeField: nil, keyField: nil, provenance: [:])
            _ = try scorer.scoreFile(input: path, format: .csv, output: scored, strict: false)
        }
        let fitMs = median(fits) * 1000, rowsPerSecond = Double(x.rows) / median(passes)
        let auc = mean(aucs), aucStd = standardDeviation(aucs)
        let reference = compareSklearn
            ? try SklearnReference.run(python: python, csv: path, seeds: seeds, repeats: repeats, trees: trees) : nil
        let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        if json {
            var row: [String: Any] = [
                "data": name, "rows": x.rows, "cols": x.columns, "fit_ms_median": fitMs, "score_rows_per_s": rowsPerSecond,
                "auc_mean": auc, "auc_std": aucStd, "auc_by_seed": aucs, "score_end_to_end_s": e2e, "extended": extended, "trees": trees,
            ]
            if let reference {
                row["sklearn_fit_ms_median"] = reference.fitMsMedian
                row["sklearn_score_rows_per_s"] = reference.scoreRowsPerSecond
                row["sklearn_auc_mean"] = reference.aucMean
                row["sklearn_auc_std"] = reference.aucStd
                row["sklearn_auc_by_seed"] = reference.aucBySeed
            }
            try printJSON(row)
            return
        }
        let label = name.padding(toLength: max(14, name.count), withPad: " ", startingAt: 0)
        var line = label + String(format: " %7d  %4d  %6.1f  %12.0f  %.4f  %6.2f", x.rows, x.columns, fitMs, rowsPerSecond, auc, e2e)
        if let r = reference {
            line += String(format: "   %14.1f  %7.0f  %.4f  %6.1fx  %5.1fx", r.fitMsMedian, r.scoreRowsPerSecond, r.aucMean,
                rowsPerSecond / r.scoreRowsPerSecond, r.fitMsMedian / fitMs)
        }
        print(line)
    }

    private func mean(_ v: [Double]) -> Double { v.reduce(0, +) / Double(v.count) }

    /// The population standard deviation, as numpy's `std` in the reference figures.
    private func standardDeviation(_ v: [Double]) -> Double {
        let m = mean(v)
        return (v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count)).squareRoot()
    }

    private func median(_ v: [Double]) -> Double {
        let s = v.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}

/// A CSV of numeric features with a trailing 0/1 `label` column.
enum LabelledCSV {
    static func load(_ path: String) throws -> (FeatureMatrix, [Bool], [String]) {
        guard let handle = FileHandle(forReadingAtPath: path), let first = try handle.readLine() else {
            throw CommandFailure("\(path): cannot read a header line")
        }
        try handle.close()
        let columns = first.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard columns.count >= 2, columns.last == "label" else {
            throw CommandFailure("\(path): the last column must be 'label' (found: \(columns.joined(separator: ", ")))")
        }
        var reader = try FeatureTableReader(path: path, format: .csv, fields: columns)
        var values: [Double] = [], labels: [Bool] = []
        let d = columns.count - 1
        while let batch = try reader.next() {
            if let problem = batch.invalid.first { throw CommandFailure("\(path): \(problem.value)") }
            for r in 0..<batch.rows {
                values.append(contentsOf: batch.values[(r * (d + 1))..<(r * (d + 1) + d)])
                labels.append(batch.values[r * (d + 1) + d] == 1)
            }
        }
        return (FeatureMatrix(rows: labels.count, columns: d, values: values), labels, Array(columns.dropLast()))
    }
}

extension FileHandle {
    /// The first line of the file (reads at most 64 KiB).
    func readLine() throws -> String? {
        guard let data = try read(upToCount: 65_536), !data.isEmpty else { return nil }
        return String(decoding: data.prefix { $0 != 10 && $0 != 13 }, as: UTF8.self)
    }
}
