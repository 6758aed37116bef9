import EventArchive
import Foundation
import Kafka
import ModelKinds
import ModelRegistry
import Scoring
import Testing

/// A forecaster's predictions say which field drove them, its value and its deviation in robust
/// sigmas; offline `score` writes this for every field, in CSV and JSON lines, and it agrees with
/// the Kafka prediction of the same event.
@Suite(.serialized) struct ForecastExplanationTests {
    func scorer(_ meters: SimulatedMeters) throws -> OfflineScorer {
        try meters.train("fc", kind: try ModelKinds.standard.kind(named: "seasonal-forecaster"), settings: ["period=1d"])
        let registry = Registry(root: meters.registry)
        let version = try registry.resolve(name: "fc", alias: "production")
        return try OfflineScorer.load(
            path: try registry.verifiedModelPath(name: "fc", version: version.version), timeField: "ts", keyField: "meter",
            provenance: try registry.metadata(name: "fc", version: version.version).provenance)
    }

    @Test func csvRowsExplainTheDrivingFieldAndEveryField() throws {
        let meters = try SimulatedMeters()
        let output = meters.dir.appendingPathComponent("scored.csv").path
        let summary = try scorer(meters).scoreFile(input: try meters.csv(), format: .csv, output: output, strict: false)
        #expect(summary.rows == meters.live.count && summary.anomalies > 0)

        let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = try #require(lines.first)
        #expect(header == [
            "ts", "meter", "kwh", "voltage", "score", "anomaly", "forecast", "lower", "upper", "field", "actual", "sigmas",
            "kwh_forecast", "kwh_lower", "kwh_upper", "kwh_sigmas", "voltage_forecast", "voltage_lower", "voltage_upper", "voltage_sigmas",
        ])
        let column = Dictionary(uniqueKeysWithValues: header.enumerated().map { ($1, $0) })
        var explained = 0, flaggedFar = 0, flagged = 0
        for row in lines.dropFirst() {
            #expect(row.count == header.count)
            guard let field = row.dropFirst(column["field"]!).first, !field.isEmpty else { continue }
            explained += 1
            let value = { (name: String) in Double(row[column[name]!]) }
            #expect(["kwh", "voltage"].contains(field))
            // The driver's columns repeat its own per-field columns, and its value is the input's.
            #expect(value("actual") == value(field))
            #expect(value("sigmas") == value("\(field)_sigmas"))
            #expect(value("forecast") == value("\(field)_forecast") && value("upper") == value("\(field)_upper"))
            // The sign says on which side of the forecast the value lies.
            if let s = value("sigmas"), let a = value("actual"), let f = value("forecast"), abs(s) > 1 {
                #expect((s > 0) == (a > f), "sigmas \(s), actual \(a), forecast \(f)")
            }
            if row[column["anomaly"]!] == "true" {
                flagged += 1
                if let s = value("sigmas"), abs(s) > 3 { flaggedFar += 1 }
            }
        }
        #expect(explained > meters.live.count / 2)
        #expect(flagged > 0 && flaggedFar == flagged, "a flagged event lies far outside its field's band")
    }

    @Test func jsonLinesCarryTheSameExplanationAsKafka() throws {
        let meters = try SimulatedMeters()
        let offline = try scorer(meters)
        let input = meters.dir.appendingPathComponent("live.jsonl").path
        try (0..<meters.live.count).map { meters.json($0) + "\n" }.joined().write(toFile: input, atomically: true, encoding: .utf8)
        let output = meters.dir.appendingPathComponent("scored.jsonl").path
        _ = try offline.scoreFile(input: input, format: .jsonl, output: output, strict: false)
        let rows = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(rows.count == meters.live.count)

        // The same events through the serve path.
        let config = try meters.serveConfig(models: ["fc"])
        let watcher = try ModelWatcher(registry: Registry(root: meters.registry), models: config.models, inputs: config.inputs)
        let batchScorer = BatchScorer(config: config)
        var kafka: [[String: Any]] = []
        for batch in meters.kafkaBatches(size: 500) {
            let scored = batchScorer.score(batch, models: watcher.current)
            let out = scored.predictionMessages
            kafka += try (0..<out.count).map {
                try #require(try JSONSerialization.jsonObject(with: Data(out.values[out.valueRange($0)])) as? [String: Any])
            }
        }
        #expect(kafka.count == rows.count)
        var compared = 0
        for (file, message) in zip(rows, kafka) {
            guard let field = file["field"] as? String else {
                #expect(message["field"] == nil)
                continue
            }
            compared += 1
            #expect(message["field"] as? String == field)
            #expect(message["actual"] as? Double == file["actual"] as? Double)
            let fileSigmas = try #require(file["sigmas"] as? Double), kafkaSigmas = try #require(message["sigmas"] as? Double)
            #expect(abs(fileSigmas - kafkaSigmas) <= 0.005 + 1e-12, "two decimals on Kafka")
            let fields = try #require(file["fields"] as? [String: [String: Any]])
            #expect(Set(fields.keys) == ["kwh", "voltage"])
            #expect(fields[field]?["sigmas"] as? Double == fileSigmas)
            #expect(fields[field]?["forecast"] as? Double == file["forecast"] as? Double)
        }
        #expect(compared > rows.count / 2)
    }

    @Test func eventsRankByTheirTailWhereTheScoreRoundsToOne() {
        var p = PredictionColumns(score: [1, 1, 0.5, 0.7], anomaly: [true, true, false, false])
        p.tail = [1e-30, 1e-20, 0.5, .nan]
        #expect(p.rank(0) > p.rank(1) && p.rank(1) > p.rank(2), "a smaller tail ranks higher, even where both scores are 1")
        #expect(abs(p.rank(0) - 30) < 1e-9 && abs(p.rank(2) - log10(2)) < 1e-12)
        #expect(p.rank(3) == 0.7, "no tail: the score")
        p.tail = [0, 0, 0, 0]
        #expect(p.rank(0).isFinite, "a tail of 0 ranks highest but finitely")
        #expect(PredictionColumns(score: [0.3], anomaly: [false]).rank(0) == 0.3)
    }
}
