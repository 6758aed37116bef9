import Foundation

/// Runs scikit-learn's isolation forest on the same CSV, in a child Python,
/// with the settings of `shared/benchmarks/adbench/reference.json` (100 trees,
/// 256 samples, one thread), so both figures come from the same machine and run.
enum SklearnReference {
    struct Figures: Decodable {
        let aucMean: Double
        let aucStd: Double
        let aucBySeed: [Double]
        let fitMsMedian: Double
        let scoreRowsPerSecond: Double
    }

    static let script = """
        import sys, json, time, statistics
        import numpy as np
        from sklearn.ensemble import IsolationForest
        from sklearn.metrics import roc_auc_score
        path, seeds, repeats, trees = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
        data = np.loadtxt(path, delimiter=",", skiprows=1)
        X, y = data[:, :-1], data[:, -1]
        aucs, fits, scores = [], [], []
        for seed in range(seeds):
            m = IsolationForest(n_estimators=trees, max_samples=256, n_jobs=1, random_state=seed)
            t0 = time.perf_counter(); m.fit(X); fits.append(time.perf_counter() - t0)
            s = m.score_samples(X)
            aucs.append(roc_auc_score(y, -s))
        for _ in range(repeats):
            t0 = time.perf_counter(); m.score_samples(X); scores.append(time.perf_counter() - t0)
        print(json.dumps({"aucMean": float(np.mean(aucs)), "aucStd": float(np.std(aucs)), "aucBySeed": aucs,
                          "fitMsMedian": statistics.median(fits) * 1000,
                          "scoreRowsPerSecond": len(X) / statistics.median(scores)}))
        """

    static func run(python: String, csv: String, seeds: Int, repeats: Int, trees: Int) throws -> Figures {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, "-c", script, csv, "\(seeds)", "\(repeats)", "\(trees)"]
        var environment = ProcessInfo.processInfo.environment
        for name in ["OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"] { environment[name] = "1" }
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let figures = try? JSONDecoder().decode(Figures.self, from: data) else {
            throw CommandFailure("the scikit-learn comparison failed: does '\(python)' have scikit-learn? (--python PATH)")
        }
        return figures
    }
}
