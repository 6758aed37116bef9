/// The child Python of `bench detection`: TSB-AD's evaluation and the reference detectors.
///
/// Protocol: on start it prints one JSON line, `{"ready": true, "versions": {...}}`, or
/// `{"error": "..."}` and exits 3 when an import fails. Then, per JSON line on stdin (a
/// request, `ReferenceRequest`), it reads the raw little-endian float64 files the request names
/// in its folder (`train.f64` and `test.f64`, rows × cols row-major; `labels.f64`; per Forewarn
/// detector `<i>.score.f64` and `<i>.flags.f64`), runs the reference detectors on the same split,
/// writes each one's flags to `ref<j>.flags.f64`, and prints one JSON line: the sliding window
/// and per detector TSB-AD's `get_metrics` (or an `error`).
enum ReferenceScript {
    static let source = #"""
        import sys, json, warnings
        warnings.filterwarnings("ignore")
        try:
            import numpy as np
            import pandas as pd
            import sklearn
            from sklearn.ensemble import IsolationForest
            from numpy.lib.stride_tricks import sliding_window_view
            from TSB_AD.evaluation.metrics import get_metrics
            from TSB_AD.utils.slidingWindows import find_length_rank
            from importlib.metadata import version
            tsb = version("TSB-AD")
        except Exception as e:
            print(json.dumps({"error": "%s: %s" % (type(e).__name__, e)}), flush=True)
            sys.exit(3)
        print(json.dumps({"ready": True, "versions": {"numpy": np.__version__, "scikit-learn": sklearn.__version__,
                                                      "pandas": pd.__version__, "TSB-AD": tsb}}), flush=True)

        def load(path, rows, cols=1):
            return np.fromfile(path, dtype="<f8").reshape(rows, cols)

        def impute(train, test):
            # Missing values become the training median of their column (0 for a column with none), as Forewarn does.
            med = np.array([np.nanmedian(c) if np.isfinite(c).any() else 0.0 for c in train.T])
            fix = lambda x: np.where(np.isfinite(x), x, med)
            return fix(train), fix(test)

        def forest():
            return IsolationForest(n_estimators=100, max_samples="auto", random_state=0, n_jobs=1)

        def even(x, limit=5000):
            return x[::max(1, -(-len(x) // limit))]

        def iforest_rows(train, test, w):
            m = forest().fit(train)
            return -m.score_samples(test), -m.score_samples(even(train))

        def iforest_window(train, test, w):
            # Causal windows of w rows per column; an event's score is the max over columns of the
            # window that ends at it. Columns constant over the training rows say nothing and are skipped.
            ntr = len(train)
            w = max(2, min(w, ntr // 2))
            out, inside = np.zeros(len(test)), np.zeros(ntr - w + 1)
            keep = np.arange(0, ntr - w + 1, max(1, -(-(ntr - w + 1) // 5000)))
            for c in range(train.shape[1]):
                if np.ptp(train[:, c]) == 0:
                    continue
                windows = sliding_window_view(np.concatenate([train[:, c], test[:, c]]), w)
                fitted = forest().fit(windows[:ntr - w + 1])
                out = np.maximum(out, -fitted.score_samples(windows[ntr - w + 1:]))
                inside[keep] = np.maximum(inside[keep], -fitted.score_samples(windows[keep]))
            return out, inside[keep]

        def rolling_z(train, test, w):
            # |x - mean| / std of the w rows before each row, max over columns; std 0 and a change: 1e6.
            ntr = len(train)
            full = pd.DataFrame(np.vstack([train, test]))
            r = full.rolling(max(2, w), min_periods=2)
            mean, std = r.mean().shift(1).to_numpy(), r.std().shift(1).to_numpy()
            dev = np.abs(full.to_numpy() - mean)
            z = np.where(std > 0, dev / np.where(std > 0, std, 1.0), np.where(dev > 0, 1e6, 0.0))
            z = np.minimum(np.nan_to_num(z, nan=0.0), 1e6).max(axis=1)
            return z[ntr:], z[:ntr]

        REFERENCES = [("sklearn-iforest-window", iforest_window), ("sklearn-iforest-rows", iforest_rows),
                      ("rolling-zscore", rolling_z)]

        def metrics(score, labels, w, flags):
            s = np.asarray(score, dtype=float)
            finite = np.isfinite(s)
            s = np.where(finite, s, np.min(s[finite]) if finite.any() else 0.0)  # unscored: least anomalous
            lo, hi = s.min(), s.max()
            s = (s - lo) / (hi - lo) if hi > lo else np.zeros_like(s)
            m = get_metrics(s, labels.astype(int), slidingWindow=int(w), pred=flags.astype(bool))
            return {k: float(v) for k, v in m.items() if np.isfinite(float(v))}  # JSON has no NaN

        def run(q):
            d, ntr, nte, cols = q["dir"], q["train_rows"], q["test_rows"], q["cols"]
            train, test = impute(load(d + "/train.f64", ntr, cols), load(d + "/test.f64", nte, cols))
            labels = load(d + "/labels.f64", nte)[:, 0]
            w = int(find_length_rank(np.concatenate([train[:, 0], test[:, 0]]).reshape(-1, 1), rank=1))
            out = []
            for i, name in enumerate(q["forewarn"]):
                entry = {"name": name}
                try:
                    score, flags = load(d + "/%d.score.f64" % i, nte)[:, 0], load(d + "/%d.flags.f64" % i, nte)[:, 0]
                    entry["metrics"] = metrics(score, labels, w, flags > 0)
                except Exception as e:
                    entry["error"] = "%s: %s" % (type(e).__name__, e)
                out.append(entry)
            for j, (name, detector) in enumerate(REFERENCES if q["references"] else []):
                entry = {"name": name}
                try:
                    score, inside = detector(train, test, w)
                    flags = score > np.mean(inside) + 3 * np.std(inside)
                    entry["flags"] = d + "/ref%d.flags.f64" % j
                    flags.astype("<f8").tofile(entry["flags"])
                    entry["metrics"] = metrics(score, labels, w, flags)
                except Exception as e:
                    entry.pop("flags", None)
                    entry["error"] = "%s: %s" % (type(e).__name__, e)
                out.append(entry)
            return {"period": w, "detectors": out}

        """# + serveLoop

    /// The end of every bench script: one JSON request per stdin line, handed to the script's `run`, and its
    /// reply (or the error it raised) as one JSON line.
    static let serveLoop = #"""
        for line in sys.stdin:
            if not line.strip():
                continue
            try:
                reply = run(json.loads(line))
            except Exception as e:
                reply = {"error": "%s: %s" % (type(e).__name__, e)}
            print(json.dumps(reply), flush=True)
        """#
}
