import Foundation

/// Turns events into the rows a context model is fitted on and scores: the features of `StreamContext.spec`,
/// in its order. Training, the scorer, offline `score` and the backtest all build their rows
/// here, so the same events in the same order give the same rows whether they come in one batch or many.
///
/// Keeps each series' last `spec.memory` deviations (a ring per series and field), each clipped at its
/// field's `StreamContext.memoryClip`, the largest deviation that series showed in training (its 99.9th
/// percentile, at least ±`memoryClip` robust scales): a spike is seen whole in its own row, but the rows after
/// it see it no larger than the series has been before, so one wild event does not make its successors look
/// wild too (a difference, a window), while a series whose normal swings are wide (a pulse, a load that
/// peaks) is remembered as it was. The events of a series
/// must come in time order for windows and differences to mean what they say, which the archive and a Kafka
/// partition give. A fresh instance knows no past: `warmUp(from:)` replays recent history, as the forecaster's
/// scorer does, after a start or a rebalance. Unknown series get NaN derived features (the forest imputes
/// them with its centre) and keep no memory.
public struct ContextFeatures: Sendable {
    public let context: StreamContext
    private var clock: LocalClock
    private let memory: Int
    /// targets × memory past deviations, NaN where not seen yet.
    private var ring: [Double]
    /// Per target, where its next deviation goes.
    private var head: [Int32]
    private var z: [Double]

    public init(context: StreamContext) {
        self.context = context
        clock = LocalClock(identifier: context.spec.timeZone)
        memory = context.spec.memory
        let targets = context.seriesNames.count * context.fields.count
        ring = [Double](repeating: .nan, count: targets * memory)
        head = [Int32](repeating: 0, count: targets)
        z = [Double](repeating: .nan, count: context.fields.count)
    }

    public var columns: Int { context.featureNames.count }

    /// The smallest bound, in robust scales, on the deviations the memory keeps of an event (and the bound of
    /// models written before bounds were fitted per series).
    public static let memoryClip = 3.0

    /// The rows of `batch`, in its row order; `fieldColumns[f]` is the batch column of the context's field `f`.
    public mutating func matrix(_ batch: ForecastColumns, fieldColumns: [Int]) -> FeatureMatrix {
        let n = batch.count, d = columns, fields = context.fields.count
        var codes = [Int32](repeating: -1, count: batch.seriesNames.count)
        for (i, name) in batch.seriesNames.enumerated() { codes[i] = context.seriesIndex[name] ?? -1 }
        var out = [Double](repeating: .nan, count: n * d)
        out.withUnsafeMutableBufferPointer { o in
            for row in 0..<n {
                let series = Int(codes[Int(batch.seriesCodes[row])])
                let local = clock.local(batch.time[row])
                let slot = LocalClock.slot(local, slots: context.slots)
                for f in 0..<fields {
                    guard series >= 0 else { z[f] = .nan; continue }
                    let t = series * fields + f
                    let x = TargetTransform.forward(batch.fields[fieldColumns[f]][row], offset: context.logOffset[t])
                    z[f] = (x - context.profile[t * context.slots + slot]) / context.scale[t * context.slots + slot]
                }
                var j = row * d
                for feature in context.spec.features {
                    switch feature {
                    case .fields:
                        for f in 0..<fields { o[j + f] = batch.fields[fieldColumns[f]][row] }
                        j += fields
                        continue
                    case .calendar:
                        let p = LocalClock.position(local)
                        let day = 2 * Double.pi * p.dayFraction
                        let week = 2 * Double.pi * (Double(p.weekday) + p.dayFraction) / 7
                        o[j] = sin(day); o[j + 1] = cos(day); o[j + 2] = sin(week); o[j + 3] = cos(week)
                        j += 4
                        continue
                    default: break
                    }
                    for f in 0..<fields {
                        o[j] = series >= 0 ? derived(feature, target: series * fields + f, current: z[f]) : .nan
                        j += 1
                    }
                }
                guard series >= 0, memory > 0 else { continue }
                for f in 0..<fields { push(z[f], target: series * fields + f) }
            }
        }
        return FeatureMatrix(rows: n, columns: d, values: out)
    }

    /// Replays `history` (in time order, whatever its row order) into the memory; its rows are discarded.
    /// Throws `ModelError.columnMismatch` when it lacks a field of the context.
    public mutating func warmUp(from history: ForecastColumns) throws {
        guard memory > 0, history.count > 0 else { return }
        let columns = try context.fields.map { name in
            guard let c = history.fieldNames.firstIndex(of: name) else {
                throw ModelError.columnMismatch(expected: context.fields, found: history.fieldNames)
            }
            return c
        }
        _ = matrix(history.sortedByTime(), fieldColumns: columns)
    }

    /// Forgets what it remembers of `series` (after a rebalance moved it away).
    public mutating func reset(series: String) {
        guard let s = context.seriesIndex[series], memory > 0 else { return }
        let fields = context.fields.count
        for t in (Int(s) * fields)..<(Int(s) * fields + fields) {
            for k in 0..<memory { ring[t * memory + k] = .nan }
            head[t] = 0
        }
    }

    /// The deviation `k` ≥ 1 events before the current one.
    @inline(__always)
    private func past(_ k: Int, target t: Int) -> Double {
        ring[t * memory + (Int(head[t]) - k + memory * k) % memory]
    }

    @inline(__always)
    private mutating func push(_ value: Double, target t: Int) {
        let clip = context.memoryClip[t]
        ring[t * memory + Int(head[t])] = Swift.min(clip, Swift.max(-clip, value))
        head[t] = (head[t] + 1) % Int32(memory)
    }

    @inline(__always)
    private func derived(_ feature: ContextSpec.Feature, target t: Int, current: Double) -> Double {
        switch feature {
        case .fields, .calendar: return .nan
        case .profile: return current
        case .diff: return current - past(1, target: t)
        case .lag(let n): return past(n, target: t)
        case .window(let statistic, let n):
            var count = 0.0, sum = 0.0, squares = 0.0, low = Double.infinity, high = -Double.infinity
            for k in 0..<n {
                let v = k == 0 ? current : past(k, target: t)
                guard v.isFinite else { continue }
                count += 1; sum += v; squares += v * v
                low = Swift.min(low, v); high = Swift.max(high, v)
            }
            guard count > 0 else { return .nan }
            switch statistic {
            case .mean: return sum / count
            case .min: return low
            case .max: return high
            case .std:
                guard count > 1 else { return .nan }
                let mean = sum / count
                return (Swift.max(0, squares - count * mean * mean) / (count - 1)).squareRoot()
            }
        }
    }
}

extension ForecastColumns {
    /// The rows in time order (ties in row order).
    public func sortedByTime() -> ForecastColumns {
        if zip(time, time.dropFirst()).allSatisfy({ $0 <= $1 }) { return self }
        let order = time.indices.sorted { (time[$0], $0) < (time[$1], $1) }
        return ForecastColumns(
            time: order.map { time[$0] }, seriesCodes: order.map { seriesCodes[$0] }, seriesNames: seriesNames,
            fieldNames: fieldNames, fields: fields.map { column in order.map { column[$0] } })
    }
}
