import Foundation

/// Runs a reference isolation forest on the same CSV, in a child Python, with
/// the settings of `shared/benchmarks/adbench/reference.json` (100 trees, 256
/// samples, one thread), so both figures come from the same machine and run:
/// scikit-learn's, or isotree's with single-variable cuts (`ndim=1`).
enum ReferenceForest: String {
    case sklearn
    case isotree

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
        from sklearn.metrics import roc_auc_score
        path, library, seeds, repeats, trees = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
        try:
            import pandas as pd
            data = pd.read_csv(path, float_precision="round_trip").to_numpy(dtype=np.float64)
        except ImportError:
            data = np.loadtxt(path, delimiter=",", skiprows=1)
        X, y = data[:, :-1], data[:, -1]
        if library == "sklearn":
            from sklearn.ensemble import IsolationForest
            def fit(seed): return IsolationForest(n_estimators=trees, max_samples=256, n_jobs=1, random_state=seed).fit(X)
            def score(m): return -m.score_samples(X)
        else:
            from isotree import IsolationForest
            def fit(seed): return IsolationForest(ntrees=trees, sample_size=256, ndim=1, nthreads=1, random_seed=seed).fit(X)
            def score(m): return m.predict(X)
        aucs, fits, scores = [], [], []
        for seed in range(seeds):
            t0 = time.perf_counter(); m = fit(seed); fits.append(time.perf_counter() - t0)
            aucs.append(roc_auc_score(y, score(m)))
        for _ in range(repeats):
            t0 = time.perf_counter(); score(m); scores.append(time.perf_counter() - t0)
        print(json.dumps({"aucMean": float(np.mean(aucs)), "aucStd": float(np.std(aucs)), "aucBySeed": aucs,
                          "fitMsMedian": statistics.median(fits) * 1000,
                          "scoreRowsPerSecond": len(X) / statistics.median(scores)}))
        """

    func run(python: String, csv: String, seeds: Int, repeats: Int, trees: Int) throws -> Figures {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, "-c", Self.script, csv, rawValue, "\(seeds)", "\(repeats)", "\(trees)"]
        var environment = ProcessInfo.processInfo.environment
        for name in ["OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"] { environment[name] = "1" }
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let figures = try? JSONDecoder().decode(Figures.self, from: data) else {
            throw CommandFailure("the \(rawValue) comparison failed: does '\(python)' have \(rawValue) and scikit-learn? (--python PATH)")
        }
        return figures
    }
}
