extension StreamContext {
    /// Fits each series' profile and scale on `data` (any row order); `spanMs` is the training window's length,
    /// which decides whether weekends get hours of their own; each series' memory bound (`memoryClip`) comes from
    /// its own deviations. Without `daily` (a window with no daily cycle,
    /// `DailyProfile`) every slot holds the series' overall median and scale. Series without rows are left out.
    /// Throws `ModelError.badParameter` for an unknown time zone, `.emptyTrainingData` without rows.
    public static func fit(_ data: ForecastColumns, spec: ContextSpec, spanMs: Int64, daily: Bool = true) throws -> StreamContext {
        if let problem = data.shapeProblem() { throw ModelError.badParameter("training columns: \(problem)") }
        guard data.count > 0 else { throw ModelError.emptyTrainingData }
        try ContextSpec.checkTimeZone(spec.timeZone)
        let slots = spanMs >= weeklySpanMs ? 48 : 24
        var clock = LocalClock(identifier: spec.timeZone)
        let slot = daily ? data.time.map { Int32(LocalClock.slot(clock.local($0), slots: slots)) } : [Int32](repeating: 0, count: data.count)

        // Series that occur, renumbered densely in order of first appearance.
        var dense = [Int32](repeating: -1, count: data.seriesNames.count)
        var names: [String] = []
        for code in data.seriesCodes where dense[Int(code)] < 0 {
            dense[Int(code)] = Int32(names.count)
            names.append(data.seriesNames[Int(code)])
        }
        let rowSeries = data.seriesCodes.map { Int(dense[Int($0)]) }
        let s = names.count, f = data.fieldNames.count
        var profile = [Double](repeating: 0, count: s * f * slots)
        var scale = [Double](repeating: 1, count: s * f * slots)
        var logOffset = [Double](repeating: .nan, count: s * f)
        var memoryClip = [Double](repeating: ContextFeatures.memoryClip, count: s * f)
        for field in 0..<f {
            var values = data.fields[field]
            // The forecaster's rule: a field that never goes below 0 is measured in log space, where a
            // multiplicative noise (a meter's, a web KPI's) is as wide above its median as below.
            let raw = Buckets(keys: rowSeries, count: s, values: values)
            for series in 0..<s {
                let own = raw.values(series).filter { $0.isFinite }
                guard let lo = own.min(), lo >= 0, let m = median(own), m > 0 else { continue }
                logOffset[series * f + field] = 0.01 * m
            }
            for i in values.indices { values[i] = TargetTransform.forward(values[i], offset: logOffset[rowSeries[i] * f + field]) }
            let bySlot = Buckets(keys: rowSeries.indices.map { rowSeries[$0] * slots + Int(slot[$0]) }, count: s * slots, values: values)
            let bySeries = Buckets(keys: rowSeries, count: s, values: values)
            for series in 0..<s {
                let overall = median(bySeries.values(series)) ?? 0
                for k in 0..<slots {
                    let own = bySlot.values(series * slots + k)
                    profile[(series * f + field) * slots + k] =
                        own.count >= minimumPerSlot ? (median(own) ?? overall) : overall
                }
            }
            var deviations = values
            for i in deviations.indices { deviations[i] -= profile[(rowSeries[i] * f + field) * slots + Int(slot[i])] }
            let around = Buckets(keys: rowSeries, count: s, values: deviations)
            let aroundSlot = Buckets(
                keys: rowSeries.indices.map { rowSeries[$0] * slots + Int(slot[$0]) }, count: s * slots, values: deviations)
            for series in 0..<s {
                let floor = 1e-6 * max(1, abs(profile[(series * f + field) * slots]))
                let overall = robustScale(around.values(series), floor: floor)
                for k in 0..<slots {
                    let own = aroundSlot.values(series * slots + k)
                    scale[(series * f + field) * slots + k] =
                        own.count >= minimumPerSlotScale ? robustScale(own, floor: floor) : overall
                }
            }
            var z = deviations
            for i in z.indices { z[i] = abs(z[i] / scale[(rowSeries[i] * f + field) * slots + Int(slot[i])]) }
            let byTarget = Buckets(keys: rowSeries, count: s, values: z)
            for series in 0..<s {
                let a = byTarget.values(series).filter { $0.isFinite }.sorted()
                guard !a.isEmpty else { continue }
                let top = a[min(a.count - 1, Int(memoryQuantile * Double(a.count - 1)))]
                memoryClip[series * f + field] = max(ContextFeatures.memoryClip, top)
            }
        }
        return StreamContext(
            spec: spec, fields: data.fieldNames, seriesNames: names, slots: slots, profile: profile, scale: scale,
            logOffset: logOffset, cadenceMs: CadenceInference.cadence(data) ?? 60_000, memoryClip: memoryClip)
    }

    /// One context from the contexts of disjoint sets of series (shards of one window), in shard order.
    /// Throws `ModelError.badParameter` when they differ in spec, fields or slots, or share a series.
    public static func merged(_ parts: [StreamContext]) throws -> StreamContext {
        guard let first = parts.first else { throw ModelError.badParameter("no contexts to merge") }
        guard parts.allSatisfy({ $0.spec == first.spec && $0.fields == first.fields && $0.slots == first.slots }) else {
            throw ModelError.badParameter("the shards' context features differ (context=, timezone= or window)")
        }
        let names = parts.flatMap(\.seriesNames)
        guard Set(names).count == names.count else { throw ModelError.badParameter("a series appears in two shards") }
        return StreamContext(
            spec: first.spec, fields: first.fields, seriesNames: names, slots: first.slots,
            profile: parts.flatMap(\.profile), scale: parts.flatMap(\.scale), logOffset: parts.flatMap(\.logOffset),
            cadenceMs: parts.map(\.cadenceMs).min() ?? first.cadenceMs, memoryClip: parts.flatMap(\.memoryClip))
    }

    /// The share of a series' training deviations its memory keeps as they were: the largest it showed,
    /// save one event in a thousand (a training window is not free of anomalies either).
    static let memoryQuantile = 0.999

    /// Deviations a slot needs for a scale of its own; fewer, and the series' overall scale stands in.
    static let minimumPerSlotScale = 10

    /// 1.4826 × the median absolute deviation (1.2533 × the mean one where that is 0), at least `floor`.
    static func robustScale(_ deviations: [Double], floor: Double) -> Double {
        let d = deviations.filter { $0.isFinite }.map { abs($0) }
        var sigma = 1.4826 * (median(d) ?? 0)
        if !(sigma > 0) { sigma = 1.2533 * (d.isEmpty ? 0 : d.reduce(0, +) / Double(d.count)) }
        return sigma.isFinite ? max(floor, sigma) : floor
    }

    /// The median of the finite values, or nil when there are none.
    static func median(_ values: [Double]) -> Double? {
        let a = values.filter { $0.isFinite }.sorted()
        guard !a.isEmpty else { return nil }
        let m = a.count / 2
        return a.count % 2 == 1 ? a[m] : (a[m - 1] + a[m]) / 2
    }
}

/// Values grouped by an integer key in `0..<count`, by counting sort (one pass to count, one to place).
private struct Buckets {
    let start: [Int]
    let sorted: [Double]

    init(keys: [Int], count: Int, values: [Double]) {
        var start = [Int](repeating: 0, count: count + 1)
        for k in keys { start[k + 1] += 1 }
        for k in 0..<count { start[k + 1] += start[k] }
        var next = start
        var sorted = [Double](repeating: 0, count: keys.count)
        for (i, k) in keys.enumerated() {
            sorted[next[k]] = values[i]
            next[k] += 1
        }
        self.start = start
        self.sorted = sorted
    }

    func values(_ key: Int) -> [Double] { Array(sorted[start[key]..<start[key + 1]]) }
}
