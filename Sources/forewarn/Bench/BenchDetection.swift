import ArgumentParser
import Basics
import Evaluation
import Foundation
import LinearAlgebra
import ModelKinds

struct BenchDetection: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detection",
        abstract: "Forewarn's default models against reference detectors on real labelled series (VUS-PR, AUC-PR, flag precision and recall).",
        discussion: """
            For each file of the sets under --root (../shared/benchmarks/timeseries: smd, asd,
            kpi, skab, ucr; see its README): trains each --kinds kind with no parameters
            through the kind's own fit (as `forewarn train`), and scores the test part in
            time order through the scoring adapter `serve` uses, --batch-events events per
            batch, its state warmed on the end of the training rows. Split: the set's
            _train.csv/_test.csv where it has them (smd, asd, ucr); SKAB trains on the
            first 400 rows of each run (SKAB's own evaluation), KPI on the first 20%.
            The event score is the adapter's; for the forecaster, events are ranked by
            -log10 of their tail probability (that of the most unusual field, combined
            over the fields: the score is 1 minus it), which keeps apart the far-out
            events whose scores all round to 1. The flag is the model's own `anomaly`.

            In the same run a child Python (--python) computes every detector's metrics
            with TSB-AD's own code (TSB_AD.evaluation.metrics.get_metrics, sliding window
            from TSB_AD's find_length_rank on the first field, as TSB-AD's benchmark
            scripts) and runs the reference detectors on the same split: scikit-learn's
            IsolationForest on causal windows of one period per field (max over fields)
            and on raw rows, and a rolling z-score over the period before each row (max
            over fields); their flags are scores above the mean + 3 sd of their scores
            on the training rows.

            Columns: VUS-PR and AUC-PR (TSB-AD, on min-max scaled scores; unscored rows
            count as least anomalous); pt-P, pt-R: precision and recall of the flags per
            row; ev-P, ev-R: per event (a labelled segment is detected when a flagged row
            falls inside it; an incident, a run of flagged rows, is right when it touches
            a labelled row); nothing flagged is precision 0. In the means a file a
            detector failed on (a refused fit) counts 0 on every figure and is counted
            under `fail`; the overall mean is the mean of the set means.

            Setting up the Python (once, outside the repository):
            \(ReferenceError.setup)

              swift build -c release --product forewarn
              .build/release/forewarn bench detection --python /work/venv/bin/python
              .build/release/forewarn bench detection --python /work/venv/bin/python \\
                  --sets smd,kpi --max-files 2
            """
    )

    @Option(help: "The folder of labelled sets.")
    var root = DetectionSet.defaultRoot

    @Option(help: "Sets to run, comma-separated.")
    var sets = DetectionSet.standardNames.joined(separator: ",")

    @Option(help: "At most this many files per set, in name order (a quick run).")
    var maxFiles: Int?

    @Option(name: .customLong("file"), help: "Only files whose name contains this; repeatable.")
    var only: [String] = []

    @Option(help: "Forewarn model kinds to run, comma-separated (the first is the default kind).")
    var kinds = "seasonal-forecaster,isolation-forest"

    @Option(
        name: .customLong("param"),
        help: "A model parameter (key=value, as `train --param`) for the first kind; repeatable. Default: none.")
    var params: [String] = []

    @Option(help: "Keep each file's labels, scores and flags as <dir>/<set>/<file>.csv (for plots and analysis).")
    var keepScores: String?

    @Option(help: "Events per scoring batch.")
    var batchEvents = 1_000

    @Flag(help: "Skip the reference detectors (Forewarn's metrics only).")
    var noReferences = false

    @Option(help: "Python with TSB-AD 1.5, scikit-learn and pandas (see above).")
    var python = "python3"

    @Flag(help: "Print JSON lines (one per file, then one per mean) instead of tables.")
    var json = false

    func run() throws {
        BLASInfo.setThreads(1)
        var bench = DetectionBench(
            root: root, sets: sets.split(separator: ",").map(String.init),
            kinds: try kinds.split(separator: ",").map { try ModelKinds.standard.kind(named: String($0)) })
        bench.maxFiles = maxFiles
        bench.only = only
        bench.batchEvents = batchEvents
        bench.references = !noReferences
        bench.settings = params
        bench.scoresFolder = keepScores
        let files: [DetectionFile]
        do { files = try bench.files() } catch { throw ValidationError(error.description) }
        guard !files.isEmpty else { throw ValidationError("no labelled files under \(root) for --sets \(sets)") }
        let scratch = try DetectionBench.makeScratch()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let child: ReferenceChild
        do { child = try ReferenceChild(python: python, scratch: scratch) } catch { throw CommandFailure("\(error)") }
        defer { child.close() }
        let began = ContinuousClock.now
        let results: [FileResult]
        let progress = ProgressDisplay(json: json)
        defer { progress.close() }
        do {
            results = try bench.run(files, child: child, scratch: scratch, progress: progress) { result in
                try progress.pause {
                    if json { try printJSON(DetectionReport.json(result)) } else { print(DetectionReport.text(result)) }
                    fflush(nil)  // each file as it finishes, also into a pipe
                }
            }
        } catch let error as ReferenceError { throw CommandFailure("\(error)") }
        let summary = DetectionSummary(results)
        let seconds = (ContinuousClock.now - began).inSeconds
        if json {
            for row in summary.rows { try printJSON(DetectionReport.json(row)) }
            for r in DetectionSummary.hitRates(results) {
                try printJSON(["type": "hit_rate", "scope": r.set, "key": r.key, "mean": r.mean, "files": r.files])
            }
        } else {
            print(DetectionReport.text(summary, results: results, seconds: seconds, versions: child.versions))
        }
    }
}
