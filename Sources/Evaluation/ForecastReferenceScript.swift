/// The child Python of `bench forecast --rolling`: statsforecast's reference forecasters.
///
/// Protocol: on start it compiles each model once on a small series (numba's first call is not charged to
/// the first series) and prints one JSON line, `{"ready": true, "versions": {...}}`, or `{"error": "..."}`
/// and exits 3 when an import fails. Then, per JSON line on stdin (a `ForecastReferenceRequest`), it reads
/// the series' values on its cadence grid (raw little-endian float64, NaN for a missing cell), and for each
/// origin fits every method on the `history` cells before it (missing cells linearly interpolated, which
/// statsforecast needs) and forecasts `steps` cells with 80% and 95% intervals. It writes them to `output`
/// (methods × origins × [mean, lo-80, hi-80, lo-95, hi-95] × steps, NaN where a method failed) and prints a
/// `ForecastReferenceReply`: per method and origin the CPU seconds of fit and forecast
/// (`time.process_time()`), what the model was, or the error.
public enum ForecastReferenceScript {
    /// The methods, in the order of the output file.
    static let methods = ["naive-week", "naive-day", "mstl", "autoets"]

    /// A venv with statsforecast, outside the repository (as `ReferenceError.setup` for `bench detection`).
    public static let setup = """
          python3 -m venv /work/venv-sf
          /work/venv-sf/bin/pip install statsforecast==2.1.1
        """

    static let source = #"""
        import sys, json, time, warnings
        warnings.filterwarnings("ignore")
        try:
            import numpy as np
            import statsforecast
            from statsforecast.models import AutoETS, MSTL, SeasonalNaive
            from importlib.metadata import version
        except Exception as e:
            print(json.dumps({"error": "%s: %s" % (type(e).__name__, e)}), flush=True)
            sys.exit(3)

        LEVELS = [80, 95]
        # statsforecast's AutoETS fits a daily season of 288 steps (5-minute cadence) in seconds; at 1,440 steps
        # (1 minute) a fit on 3 days ran 210 s and then failed ("Parameters out of range"): beyond this it is
        # non-seasonal.
        ETS_MOST_SEASON = 288

        def filled(y):
            # statsforecast's models take no missing values: linear interpolation between the finite ones.
            ok = np.isfinite(y)
            if ok.all():
                return y
            if not ok.any():
                raise ValueError("no finite value in the history")
            i = np.arange(len(y))
            return np.interp(i, i[ok], y[ok])

        def stl_kwargs(day):
            # The trend and low-pass loess evaluated every ceil(0.15 day) steps and interpolated, as R's stl()
            # does by default (a tenth of the window); statsmodels' default of every step costs 40 times more
            # CPU (9.3 s instead of 0.24 s for a day-and-week decomposition of 14 days at 5 minutes) for
            # components within 1e-4 of each other.
            j = int(np.ceil(0.15 * day))
            return {"trend_jump": j, "low_pass_jump": j, "seasonal_jump": 2}

        def naive(season):
            def make(y, day, week):
                if len(y) <= season(day, week):
                    raise ValueError("history of %d steps is shorter than the season of %d" % (len(y), season(day, week)))
                return SeasonalNaive(season_length=season(day, week)), "season %d" % season(day, week)
            return make

        def mstl(y, day, week):
            seasons = [s for s in (day, week) if len(y) >= 2 * s]
            if not seasons:
                raise ValueError("history of %d steps holds no two cycles of a day (%d)" % (len(y), day))
            return MSTL(season_length=seasons, stl_kwargs=stl_kwargs(day)), "seasons %s, trend AutoETS(ZZN)" % seasons

        def ets(y, day, week):
            m = day if day <= ETS_MOST_SEASON and len(y) >= 2 * day else 1
            return AutoETS(season_length=m), "season %d" % m

        METHODS = [("naive-week", naive(lambda d, w: w)), ("naive-day", naive(lambda d, w: d)), ("mstl", mstl), ("autoets", ets)]

        def forecast(make, y, h, day, week):
            t0 = time.process_time()
            model, what = make(y, day, week)
            try:
                f = model.fit(y).predict(h=h, level=LEVELS)
            except Exception as e:
                if not isinstance(model, AutoETS) or model.season_length == 1:
                    raise
                # A seasonal ETS that statsforecast cannot fit: the non-seasonal one, said so.
                what = "season %d failed (%s: %s), season 1" % (model.season_length, type(e).__name__, e)
                model = AutoETS(season_length=1)
                f = model.fit(y).predict(h=h, level=LEVELS)
            if isinstance(model, AutoETS) and getattr(model, "model_", None) is not None:
                what += ", " + model.model_["components"]
            out = np.vstack([f["mean"], f["lo-80"], f["hi-80"], f["lo-95"], f["hi-95"]])
            return out, time.process_time() - t0, what

        def warm_up():
            # The first call of each model compiles its numba code: not charged to the first series.
            rng = np.random.default_rng(0)
            y = 10 + np.sin(np.arange(24 * 15) * 2 * np.pi / 24) + rng.normal(0, 0.1, 24 * 15)
            for name, make in METHODS:
                forecast(make, y, 24, 24, 168)

        def run(q):
            y = np.fromfile(q["values"], dtype="<f8")
            h, day, week, hist = q["steps"], q["day"], q["week"], q["history"]
            out = np.full((len(METHODS), len(q["origins"]), 5, h), np.nan)
            methods = []
            for i, (name, make) in enumerate(METHODS):
                entry = {"name": name, "cpu": [], "errors": [], "models": []}
                for k, o in enumerate(q["origins"]):
                    try:
                        f, cpu, what = forecast(make, filled(y[max(0, o - hist):o]), h, day, week)
                        out[i, k] = f
                        entry["cpu"].append(cpu)
                        entry["models"].append(what)
                        entry["errors"].append(None)
                    except Exception as e:
                        entry["cpu"].append(0.0)
                        entry["models"].append(None)
                        entry["errors"].append("%s: %s" % (type(e).__name__, e))
                methods.append(entry)
            out.astype("<f8").tofile(q["output"])
            return {"methods": methods}

        warm_up()
        print(json.dumps({"ready": True, "versions": {"numpy": np.__version__, "statsforecast": version("statsforecast"),
                                                      "statsmodels": version("statsmodels"), "python": sys.version.split()[0]}}), flush=True)

        """# + ReferenceScript.serveLoop
}

extension ReferenceChild {
    /// The forecast bench's child: `python` (with statsforecast) on `ForecastReferenceScript`.
    public static func forecasting(python: String, scratch: String) throws -> ReferenceChild {
        try ReferenceChild(
            python: python, scratch: scratch, script: ForecastReferenceScript.source, setup: ForecastReferenceScript.setup,
            venv: "/work/venv-sf")
    }
}
