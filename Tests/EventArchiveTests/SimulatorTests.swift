import EventArchive
import Foundation
import Testing

/// All rows of a run, concatenated across batches.
private struct Flat: Equatable {
    var time: [Int64] = []
    var series: [String] = []
    var kwh: [Double] = []
    var voltage: [Double] = []
    var ids: [String] = []
    var batchSizes: [Int] = []

    mutating func add(_ b: EventBatch) {
        time += b.time
        series += (0..<b.count).map { b.series(at: $0) }
        kwh += b.fields[0]
        voltage += b.fields[1]
        ids += b.eventIDs ?? []
        batchSizes.append(b.count)
    }
}

private func simulate(_ config: SimulationConfig, batchRows: Int = 65_536) -> (Flat, [InjectedAnomaly]) {
    var flat = Flat()
    let labels = Simulator(config: config).run(batchRows: batchRows) { flat.add($0) }
    return (flat, labels)
}

private let small = SimulationConfig(series: 6, days: 3, cadenceMs: 300_000, seed: 42, anomalyRate: 0.01)

@Test func sameSeedSameDataWhateverTheBatchSize() {
    let (a, la) = simulate(small)
    let (b, lb) = simulate(small)
    let (c, lc) = simulate(small, batchRows: 777)
    #expect(a == b && la == lb)
    #expect(c.batchSizes.allSatisfy { $0 <= 777 } && c.batchSizes.count > 1)
    var cRows = c
    cRows.batchSizes = a.batchSizes
    #expect(cRows == a && lc == la)
    var other = small
    other.seed = 43
    #expect(simulate(other).0.kwh != a.kwh)
}

@Test func specNamesTheStream() throws {
    let sim = Simulator(config: SimulationConfig(stream: "grid"))
    #expect(sim.spec.stream == "grid" && sim.spec.key == "meter" && sim.spec.time == "ts")
    #expect(sim.spec.fields == ["kwh", "voltage"] && sim.spec.id == "reading_id")
    #expect(Simulator(config: SimulationConfig(stream: "../x y")).spec.stream == "_._x_y")
}

@Test func shapeTimesGridAndDropouts() throws {
    let config = small
    let (flat, labels) = simulate(config)
    let steps = config.days * 86_400_000 / Int(config.cadenceMs)
    let names = (1...config.series).map { String(format: "m%04d", $0) }
    #expect(Set(flat.series) == Set(names))
    #expect(zip(flat.time, flat.time.dropFirst()).allSatisfy { $0 <= $1 })
    #expect(flat.time.allSatisfy { ($0 - config.start) % config.cadenceMs == 0 })
    #expect(flat.time.first == config.start)
    #expect(Set(flat.ids).count == flat.ids.count)
    #expect(flat.ids.first == "\(flat.series[0])-0")
    // Every missing reading belongs to a run that starts at a labelled dropout, and vice versa.
    var present: [String: Set<Int64>] = [:]
    for (t, s) in zip(flat.time, flat.series) { present[s, default: []].insert(t) }
    var runStarts = Set<String>()
    var missing = 0
    for s in names {
        var previousMissing = false
        for k in 0..<steps {
            let t = config.start + Int64(k) * config.cadenceMs
            let gone = !(present[s]?.contains(t) ?? false)
            if gone {
                missing += 1
                if !previousMissing { runStarts.insert("\(s)@\(t)") }
            }
            previousMissing = gone
        }
    }
    let dropouts = labels.filter { $0.kind == "dropout" }
    #expect(!dropouts.isEmpty)
    #expect(flat.time.count + missing == config.series * steps)
    // Two dropouts back to back would merge into one run, so compare as subsets.
    #expect(runStarts.isSubset(of: Set(dropouts.map { "\($0.series)@\($0.time)" })))
    #expect(dropouts.count - runStarts.count <= 1)
}

@Test func anomalyRateMatchesTheConfig() {
    let config = SimulationConfig(series: 50, days: 14, cadenceMs: 300_000, seed: 7, anomalyRate: 0.002)
    let (flat, labels) = simulate(config)
    #expect(flat.time.count > 200_000 - 2_000 && flat.time.count <= 201_600)
    let pointAnomalies = labels.filter { $0.kind != "dropout" }
    let rate = Double(pointAnomalies.count) / Double(flat.time.count)
    #expect(abs(rate - 0.002) < 0.0004, "rate \(rate)")
    #expect(Set(labels.map(\.kind)) == Set(InjectedAnomaly.kinds))
    let none = simulate(SimulationConfig(series: 3, days: 2, anomalyRate: 0)).1
    #expect(none.isEmpty)
}

/// Median and robust sigma (1.4826 × MAD).
private func robust(_ xs: [Double]) -> (Double, Double) {
    func median(_ v: [Double]) -> Double {
        let s = v.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
    let m = median(xs)
    return (m, 1.4826 * median(xs.map { abs($0 - m) }))
}

@Test func labelledSpikesDipsAndSagsReallyDeviate() throws {
    let config = SimulationConfig(series: 20, days: 14, cadenceMs: 300_000, seed: 11, anomalyRate: 0.003)
    let (flat, labels) = simulate(config)
    let labelled = Set(labels.map { "\($0.series)@\($0.time)" })
    var rowsOf: [String: [Int]] = [:]
    for i in flat.time.indices { rowsOf[flat.series[i], default: []].append(i) }
    func hour(_ t: Int64) -> Int64 { t % 86_400_000 / 3_600_000 }
    func weekend(_ t: Int64) -> Bool { (t / 86_400_000 + 3) % 7 >= 5 }
    var checked: [String: (n: Int, ok: Int)] = [:]
    for a in labels where ["spike", "dip", "sag"].contains(a.kind) {
        // The reading's seasonal "normal": the same hour of day on days of the same kind
        // (weekday or weekend), between the same two level shifts of its series.
        let shifts = labels.filter { $0.series == a.series && $0.kind == "level_shift" }.map(\.time)
        let from = shifts.filter { $0 <= a.time }.max() ?? .min
        let to = shifts.filter { $0 > a.time }.min() ?? .max
        let rows = rowsOf[a.series] ?? []
        let i = try #require(rows.first { flat.time[$0] == a.time })
        let field = a.field == "kwh" ? flat.kwh : flat.voltage
        let normal = rows.filter { j in
            let t = flat.time[j]
            return t >= from && t < to && hour(t) == hour(a.time) && weekend(t) == weekend(a.time)
                && !labelled.contains("\(a.series)@\(t)")
        }.map { field[$0] }
        let (median, sigma) = robust(normal)
        let z = (field[i] - median) / max(sigma, 1e-9)
        let ok = a.kind == "spike" ? z > 4 : z < -4
        checked[a.kind, default: (0, 0)].n += 1
        if ok { checked[a.kind, default: (0, 0)].ok += 1 }
    }
    for kind in ["spike", "dip", "sag"] {
        let c = try #require(checked[kind])
        #expect(c.n >= 10)
        #expect(c.ok == c.n, "\(kind): \(c.ok) of \(c.n) beyond 4 robust sigmas")
    }
}

@Test func valuesArePlausible() {
    let (flat, _) = simulate(small)
    #expect(flat.kwh.allSatisfy { $0 >= 0 && $0.isFinite })
    let meanVolts = flat.voltage.reduce(0, +) / Double(flat.voltage.count)
    #expect(abs(meanVolts - 230) < 3)
}

// The duration grammar the simulator's cadence uses is tested in BasicsTests/TimeSpanTests.

@Test func labelsAreWrittenAsCsv() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("forewarn-labels-\(UUID().uuidString).csv")
    defer { try? FileManager.default.removeItem(at: url) }
    let labels = [
        InjectedAnomaly(series: "m0001", time: 1_767_225_600_000, kind: "spike", field: "kwh"),
        InjectedAnomaly(series: "m0002", time: 1_767_225_900_000, kind: "dropout", field: "*"),
    ]
    try Simulator.writeLabels(labels, to: url)
    let text = try String(contentsOf: url, encoding: .utf8)
    #expect(text == """
        series,time,time_ms,kind,field
        m0001,2026-01-01T00:00:00.000Z,1767225600000,spike,kwh
        m0002,2026-01-01T00:05:00.000Z,1767225900000,dropout,*

        """)
}
