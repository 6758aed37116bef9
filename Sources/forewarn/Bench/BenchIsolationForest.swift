import AnomalyModels
import ArgumentParser
import Basics
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
            write CSV). With --compare-sklearn and --compare-isotree, scikit-learn and
            isotree (ndim=1) do the same in the same run. Defaults to the ADBench sets
            in ../shared/benchmarks/adbench; --widths 3,10,200 adds generated Gaussian
            sets of --rows rows at those widths, with 1% planted outliers.

            Seed noise: at 100 trees one seed's AUC spreads by 0.01-0.015 on cardio
            and annthyroid in both libraries; at --trees 20000 it is under 0.001.

              swift build -c release
              .build/release/forewarn bench isolation-forest --compare-sklearn \\
                  --python .venv/bin/python
              .build/release/forewarn bench isolation-forest \\
                  --widths 3,10,27,36,62,100,166,200 \\
                  --compare-sklearn --compare-isotree --python .venv/bin/python
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

    @Flag(help: "Run isotree (ndim=1, one thread) on the same data in the same run.")
    var compareIsotree = false

    @Option(help: "Generated Gaussian sets of these widths (comma-separated feature counts).")
    var widths: String?

    @Option(help: "Rows of each generated set.")
    var rows: Int = 20_000

    @Option(help: "Python with scikit-learn (and isotree), for --compare-sklearn and --compare-isotree.")
    var python = "python3"

    @Flag(help: "Print JSON lines instead of a table.")
    var json = false

    func run() throws {
        let widthList = try widths.map(Self.parseWidths) ?? []
        let files = inputs.isEmpty && widthList.isEmpty ? Self.adbench() : inputs
        guard !files.isEmpty || !widthList.isEmpty else {
            throw ValidationError("no --input given and ../shared/benchmarks/adbench not found")
        }
        if !json {
            print("data set          rows  cols  fit ms  score rows/s   AUC     e2e s"
                + (compareSklearn ? "   sklearn fit ms  rows/s   AUC    score x  fit x" : "")
                + (compareIsotree ? "   isotree fit ms  rows/s   AUC    score x  fit x" : ""))
        }
        let progress = ProgressDisplay(json: json)
        defer { progress.close() }
        progress.start("isolation-forest bench", total: files.count + widthList.count, unit: ProgressUnit("data sets"))
        var done = 0
        func counted(_ path: String) throws {
            try bench(path, progress: progress)
            done += 1
            progress.update(done)
        }
        for file in files { try counted(file) }
        guard !widthList.isEmpty else { return progress.finish() }
        let dir = NSTemporaryDirectory() + "forewarn-widths-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for width in widthList {
            let path = dir + "/gauss-\(width).csv"
            try GaussianCSV.write(width: width, rows: rows, seed: UInt64(width), to: path)
            try counted(path)
            try? FileManager.default.removeItem(atPath: path)
        }
        progress.finish()
    }

    static func parseWidths(_ text: String) throws -> [Int] {
        try text.split(separator: ",").map {
            guard let w = Int($0.trimmingCharacters(in: .whitespaces)), (1...10_000).contains(w) else {
                throw ValidationError("--widths: '\($0)' is not a feature count in 1...10000")
            }
            return w
        }
    }

    static func adbench() -> [String] {
        let dir = "../shared/benchmarks/adbench"
        let names = ["shuttle", "http", "smtp", "mammography", "cardio", "annthyroid"]
        return names.map { "\(dir)/\($0).csv" }.filter { FileManager.default.fileExists(atPath: $0) }
    }

    private func bench(_ path: String, progress: ProgressDisplay) throws {
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
        let references: [(ReferenceForest, ReferenceForest.Figures)] = try
            [(ReferenceForest.sklearn, compareSklearn), (.isotree, compareIsotree)].filter(\.1).map {
                ($0.0, try $0.0.run(python: python, csv: path, seeds: seeds, repeats: repeats, trees: trees))
            }
        let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        if json {
            var row: [String: Any] = [
                "data": name, "rows": x.rows, "cols": x.columns, "fit_ms_median": fitMs, "score_rows_per_s": rowsPerSecond,
                "auc_mean": auc, "auc_std": aucStd, "auc_by_seed": aucs, "score_end_to_end_s": e2e, "extended": extended, "trees": trees,
            ]
            for (library, reference) in references {
                let key = library.rawValue
                row["\(key)_fit_ms_median"] = reference.fitMsMedian
                row["\(key)_score_rows_per_s"] = reference.scoreRowsPerSecond
                row["\(key)_auc_mean"] = reference.aucMean
                row["\(key)_auc_std"] = reference.aucStd
                row["\(key)_auc_by_seed"] = reference.aucBySeed
            }
            try progress.pause { try printJSON(row) }
            return
        }
        let label = name.padding(toLength: max(14, name.count), withPad: " ", startingAt: 0)
        var line = label + String(format: " %7d  %4d  %6.1f  %12.0f  %.4f  %6.2f", x.rows, x.columns, fitMs, rowsPerSecond, auc, e2e)
        for (_, r) in references {
            line += String(format: "   %14.1f  %7.0f  %.4f  %6.1fx  %5.1fx", r.fitMsMedian, r.scoreRowsPerSecond, r.aucMean,
                rowsPerSecond / r.scoreRowsPerSecond, r.fitMsMedian / fitMs)
        }
        progress.pause { print(line) }
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
