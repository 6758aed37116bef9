import Basics
import Foundation
import ModelKinds

/// The detection benchmark as a library: which files, each Forewarn kind trained and scored as in
/// production (`KindRun`), TSB-AD's metrics and the reference detectors in the child Python
/// (`ReferenceChild`), flag precision and recall (`FlagMetrics`). The command only parses and prints.
public struct DetectionBench {
    public var root: String
    public var sets: [String]
    /// At most this many files per set (in name order); nil for all.
    public var maxFiles: Int?
    /// Only the files whose name contains one of these (all when empty).
    public var only: [String] = []
    public var kinds: [any ModelKind]
    /// Events per scoring batch.
    public var batchEvents = 1_000
    /// Whether the child also runs the reference detectors.
    public var references = true
    /// A folder to keep each file's per-row labels, scores and flags in (`<set>/<file>.csv`), for plots and
    /// one's own analysis; nil keeps nothing.
    public var scoresFolder: String?
    /// `key=value` parameters for the first kind (the default model is measured with none).
    public var settings: [String] = []

    public init(root: String = DetectionSet.defaultRoot, sets: [String] = DetectionSet.standardNames, kinds: [any ModelKind]) {
        self.root = root
        self.sets = sets
        self.kinds = kinds
    }

    /// The files of the sets, set by set, in name order (filtered by `only`).
    public func files() throws(DetectionDataError) -> [DetectionFile] {
        var out: [DetectionFile] = []
        for name in sets {
            let files = try DetectionSet.discover(root: root, name: name).files
            out += only.isEmpty ? files : files.filter { f in only.contains { f.name.contains($0) } }
        }
        return out
    }

    /// Runs `files` in order, handing each result to `report` as it comes; a set stops after
    /// `maxFiles` evaluated files (one that could not be evaluated is reported but not counted).
    /// `progress` hears of the files done, of as many as `maxFiles` lets each set run.
    public func run(
        _ files: [DetectionFile], child: ReferenceChild, scratch: String, progress: (any ProgressReporter)? = nil,
        report: (FileResult) throws -> Void
    ) throws -> [FileResult] {
        var results: [FileResult] = []
        var evaluated: [String: Int] = [:]
        let planned = Dictionary(grouping: files, by: \.set).values.reduce(0) { $0 + min($1.count, maxFiles ?? Int.max) }
        progress?.start("detection bench", total: planned, unit: .files)
        for file in files where evaluated[file.set, default: 0] < maxFiles ?? Int.max {
            let result: FileResult
            do { result = try run(file, child: child, scratch: scratch) } catch {
                throw ReferenceError("\(file.set)/\(file.name): \(error)")
            }
            if result.failure == nil { evaluated[file.set, default: 0] += 1 }
            results.append(result)
            try report(result)
            progress?.update(results.count)
        }
        progress?.finish()
        return results
    }

    /// Every detector on `file`. Never throws for the file's or a model's sake (those are in the
    /// result); throws only when the child Python is gone.
    public func run(_ file: DetectionFile, child: ReferenceChild, scratch: String) throws -> FileResult {
        var result = FileResult(set: file.set, name: file.name)
        let c: DetectionCase
        do { c = try file.load() } catch {
            result.failure = error.description
            return result
        }
        result.split = c.split
        result.trainRows = c.train.count
        result.testRows = c.test.count
        result.fields = c.test.fieldNames.count
        result.labelledRows = c.labels.filter { $0 }.count
        result.segments = FlagMetrics.runs(c.labels).count
        let interpretation = try Interpretation.load(folder: (file.path as NSString).deletingLastPathComponent)?.files[file.name]
        var runs: [KindRun] = []
        for (k, kind) in kinds.enumerated() {
            do {
                runs.append(
                    try KindRun.run(
                        kind, on: c, settings: k == 0 ? settings : [], batchEvents: batchEvents, scratch: scratch,
                        attribute: interpretation != nil))
            } catch {
                result.detectors.append(DetectorResult(detector: kind.name, isForewarn: true, failure: "\(error)"))
            }
        }
        if let segments = interpretation { Self.interpret(segments, c, runs, into: &result) }
        try CaseFiles.write(CaseFiles.rowMajor(c.train), to: "\(scratch)/train.f64")
        try CaseFiles.write(CaseFiles.rowMajor(c.test), to: "\(scratch)/test.f64")
        try CaseFiles.write(CaseFiles.ones(c.labels), to: "\(scratch)/labels.f64")
        for (i, run) in runs.enumerated() {
            try CaseFiles.write(run.scores, to: "\(scratch)/\(i).score.f64")
            try CaseFiles.write(CaseFiles.ones(run.flags), to: "\(scratch)/\(i).flags.f64")
        }
        if let folder = scoresFolder { try Self.keep(runs, labels: c.labels, in: folder, set: file.set, name: file.name) }
        let reply = try child.ask(
            ReferenceRequest(
                dir: scratch, train_rows: c.train.count, test_rows: c.test.count, cols: c.test.fieldNames.count,
                forewarn: runs.map(\.kind), references: references))
        if let error = reply.error {
            result.detectors += runs.map { DetectorResult(detector: $0.kind, isForewarn: true, failure: "evaluation failed: \(error)") }
            return result
        }
        result.period = reply.period
        for answer in reply.detectors ?? [] {
            result.detectors.append(try Self.result(answer, run: runs.first { $0.kind == answer.name }, labels: c.labels))
        }
        return result
    }

    /// HitRate@100% and @150% of each attributing run and of the robust z-score ranking.
    static func interpret(_ segments: [Interpretation.Segment], _ c: DetectionCase, _ runs: [KindRun], into result: inout FileResult) {
        var rankers: [(String, (Int) -> [String]?)] = [("robust-z", Interpretation.robustZRanking(train: c.train, test: c.test))]
        for run in runs { if let r = run.rankings { rankers.append((run.kind, { $0 < r.count ? r[$0] : nil })) } }
        for (name, ranking) in rankers {
            for p in [100.0, 150.0] {
                guard let hit = Interpretation.hitRate(segments, rows: c.test.count, percent: p, ranking: ranking) else { continue }
                result.hitRates["\(name)@\(Int(p))"] = hit.rate
                result.interpretedRows = hit.rows
            }
        }
    }

    private static func result(_ answer: ReferenceReply.Detector, run: KindRun?, labels: [Bool]) throws -> DetectorResult {
        var out = DetectorResult(detector: answer.name, isForewarn: run != nil)
        if let run {
            out.flags = FlagMetrics(flags: run.flags, labels: labels)
            out.fitSeconds = run.fitSeconds
            out.scoreSeconds = run.scoreSeconds
            out.unscored = run.unscored
            out.fitMetrics = run.fitMetrics
            out.notes = run.notes
            out.fitLines = run.fitLines
        } else if let path = answer.flags {
            out.flags = FlagMetrics(flags: try CaseFiles.read(path).map { $0 > 0 }, labels: labels)
        }
        if let metrics = answer.metrics { out.metrics = metrics } else { out.failure = "evaluation failed: \(answer.error ?? "no metrics")" }
        return out
    }

    /// Writes `label,<kind>_score,<kind>_flag,...` per test row to `<folder>/<set>/<name>.csv`.
    static func keep(_ runs: [KindRun], labels: [Bool], in folder: String, set: String, name: String) throws {
        let dir = (folder as NSString).appendingPathComponent(set)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var text = (["label"] + runs.flatMap { ["\($0.kind)_score", "\($0.kind)_flag"] }).joined(separator: ",") + "\n"
        for row in labels.indices {
            text += labels[row] ? "1" : "0"
            for run in runs {
                text += ",\(run.scores[row]),\(run.flags[row] ? 1 : 0)"
            }
            text += "\n"
        }
        try text.write(toFile: (dir as NSString).appendingPathComponent("\(name).csv"), atomically: true, encoding: .utf8)
    }

    /// A fresh folder for a run's model and exchange files.
    public static func makeScratch() throws -> String {
        let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("forewarn-detection-\(getpid())")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
