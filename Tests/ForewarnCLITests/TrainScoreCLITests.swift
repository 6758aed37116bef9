import Foundation
import Testing

/// `forewarn train` and `forewarn score` through the real executable.
@Suite(.serialized) struct TrainScoreCLITests {
    /// A small simulated archive: 6 meters, 2 days.
    static func archive(_ dir: TempDir) throws -> String {
        let archive = dir.path("archive")
        let sim = try CLIRunner.run([
            "simulate", "--archive", archive, "--stream", "meters", "--series", "6", "--days", "2", "--seed", "5",
        ])
        #expect(sim.status == 0, "\(sim.stderr)")
        return archive
    }

    @Test func trainRegistersAndScoreAnswersEveryRowInOrder() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let archive = try Self.archive(dir)
        let registry = dir.path("Models")
        let train = try CLIRunner.run([
            "train", "--archive", archive, "--stream", "meters", "--name", "meters-if", "--registry", registry,
            "--promote", "--seed", "3", "--json",
        ])
        #expect(train.status == 0, "\(train.stderr)")
        let t = jsonObject(train.stdout)
        #expect(t["version"] as? Int == 1 && t["rows"] as? Int == 6 * 288 * 2)
        let input = try dir.write(
            "in.csv",
            """
            ts,meter,kwh,voltage,label
            2026-01-02T00:00:00Z,m0001,0.05,230,0
            2026-01-02T00:05:00Z,m0001,55,120,1
            2026-01-02T00:10:00Z,m0002,,231,0
            2026-01-02T00:15:00Z,m0002,abc,231,0
            2026-01-02T00:20:00Z,"m0003, the quoted one",0.06,229.5,0

            """)
        let out = dir.path("out.csv")
        let score = try CLIRunner.run([
            "score", "--name", "meters-if", "--registry", registry, "--input", input, "--output", out, "--json",
        ])
        #expect(score.status == 3, "one row is unreadable: \(score.stderr)")
        #expect(score.stderr.contains("line 5") && score.stderr.contains("'abc'"))
        #expect(score.stderr.contains("1 missing or non-finite values were imputed"))
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "ts,meter,kwh,voltage,label,score,anomaly,drivers")
        #expect(lines.count == 7 && lines[6].isEmpty, "a header, five rows, a final newline")
        #expect(lines[2].hasPrefix("2026-01-02T00:05:00Z,m0001,55,120,1,") && lines[2].contains(",true,"))
        let drivers = String(lines[2].split(separator: ",").last ?? "")
        #expect(drivers.hasPrefix("kwh:") || drivers.hasPrefix("voltage:"), "a flagged row names what isolated it: \(drivers)")
        #expect(lines[1].hasSuffix(",false,"), "an unflagged row has no drivers")
        #expect(lines[4] == "2026-01-02T00:15:00Z,m0002,abc,231,0,,,", "the unreadable row keeps its place, unscored")
        #expect(lines[5].hasPrefix("2026-01-02T00:20:00Z,\"m0003, the quoted one\",0.06,229.5,0,0."))

        // --all-drivers: every readable row says what isolated it, not only the flagged ones.
        let everyOut = dir.path("every.csv")
        _ = try CLIRunner.run([
            "score", "--name", "meters-if", "--registry", registry, "--input", input, "--output", everyOut, "--all-drivers",
        ])
        let every = try String(contentsOfFile: everyOut, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(every[1].hasSuffix(",false,") == false && every[1].contains(",false,voltage:") || every[1].contains(",false,kwh:"), "\(every[1])")
        #expect(every[4].hasSuffix(",,,"), "the unreadable row still has none")

        // --strict stops at that row and leaves no output at all.
        let strictOut = dir.path("strict.csv")
        let strict = try CLIRunner.run([
            "score", "--name", "meters-if", "--registry", registry, "--input", input, "--output", strictOut, "--strict",
        ])
        #expect(strict.status == 1 && strict.stderr.contains("line 5"))
        #expect(!FileManager.default.fileExists(atPath: strictOut))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path).allSatisfy { !$0.contains(".tmp-") })
    }

    @Test func jsonLinesKeepTheirMembersAndGainScores() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let archive = try Self.archive(dir)
        let model = dir.path("m.h5")
        // Rows without times: the forest on the fields alone (one with context features needs the time, below).
        let train = try CLIRunner.run([
            "train", "--archive", archive, "--stream", "meters", "--name", "m", "--output", model, "--param", "context=none",
        ])
        #expect(train.status == 0, "\(train.stderr)")
        let input = try dir.write(
            "in.jsonl",
            """
            {"meter":"m1","kwh":0.05,"voltage":230,"tags":{"site":"a"}}
            {"meter":"m2","kwh":"0.06","voltage":null}
            {"meter":"m3","kwh":true,"voltage":230}
            {"meter":
            """)
        let out = dir.path("out.jsonl")
        let score = try CLIRunner.run(["score", "--model", model, "--input", input, "--output", out])
        #expect(score.status == 3)
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        let first = jsonObject(lines[0])
        #expect(first["meter"] as? String == "m1" && (first["tags"] as? [String: Any])?["site"] as? String == "a")
        #expect((first["score"] as? Double).map { $0 >= 0 && $0 < 1 } == true && first["anomaly"] is Bool, "an ordinary row: 1 - its tail probability")
        #expect(jsonObject(lines[1])["score"] is Double, "a numeric string and a null are read and imputed")
        #expect(jsonObject(lines[2])["error"] as? String == "line 3: field 'kwh' is not a number")
        #expect((jsonObject(lines[3])["error"] as? String)?.hasPrefix("line 4: invalid JSON") == true)

        let contextModel = dir.path("c.h5")
        _ = try CLIRunner.run(["train", "--archive", archive, "--stream", "meters", "--name", "c", "--output", contextModel])
        let untimed = try CLIRunner.run(["score", "--model", contextModel, "--input", input, "--output", dir.path("c.jsonl")])
        #expect(untimed.status == 1 && untimed.stderr.contains("--time-field"), "\(untimed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.path("c.jsonl")))
    }

    @Test func badModelsInputsAndWindowsAreClearErrors() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let archive = try Self.archive(dir)
        let model = dir.path("m.h5")
        _ = try CLIRunner.run([
            "train", "--archive", archive, "--stream", "meters", "--name", "m", "--output", model, "--param", "context=none",
        ])

        let empty = try CLIRunner.run([
            "train", "--archive", archive, "--stream", "meters", "--name", "m", "--output", dir.path("e.h5"),
            "--from", "2030-01-01",
        ])
        #expect(empty.status == 1 && empty.stderr.contains("no training rows"))
        #expect(!FileManager.default.fileExists(atPath: dir.path("e.h5")))

        let param = try CLIRunner.run([
            "train", "--archive", archive, "--stream", "meters", "--name", "m", "--output", model, "--param", "trees=zero",
        ])
        #expect(param.status == 1 && param.stderr.contains("trees=zero"))
        #expect(!param.stderr.contains("reading meters"), "refused before the archive is read: \(param.stderr)")
        let unknown = try CLIRunner.run([
            "train", "--archive", archive, "--stream", "meters", "--name", "f", "--model", "forecast", "--output", model, "--param", "bogus=1",
        ])
        #expect(unknown.status == 1 && unknown.stderr.contains("known: cadence, period, harmonics"), "\(unknown.stderr)")
        #expect(!unknown.stderr.contains("reading meters"), "refused before the archive is read: \(unknown.stderr)")

        let noStream = try CLIRunner.run(["train", "--archive", archive, "--stream", "taxi", "--name", "m", "--output", model])
        #expect(noStream.status == 64 && noStream.stderr.contains("unknown stream 'taxi'") && noStream.stderr.contains("(streams: meters)"), "\(noStream.stderr)")

        let wrongColumns = try dir.write("w.csv", "ts,kwh\n2026-01-01T00:00:00Z,1\n")
        let cols = try CLIRunner.run(["score", "--model", model, "--input", wrongColumns, "--output", dir.path("o.csv")])
        #expect(cols.status == 1 && cols.stderr.contains("'voltage'"))

        let garbage = try dir.write("bad.h5", "not a model")
        let bad = try CLIRunner.run(["score", "--model", garbage, "--input", wrongColumns, "--output", dir.path("o.csv")])
        #expect(bad.status == 1 && bad.stderr.contains("not a valid model file"))

        let both = try CLIRunner.run(["score", "--input", wrongColumns, "--output", dir.path("o.csv")])
        #expect(both.status == 64 && both.stderr.contains("--model"))
        #expect(!FileManager.default.fileExists(atPath: dir.path("o.csv")))
    }

    /// A name keeps its kind: the forest that `train` fits by default is refused under a forecaster's name,
    /// before the archive is read, and the forecaster's versions and alias are untouched.
    @Test func aForestIsNotRegisteredUnderAForecastersName() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let archive = try Self.archive(dir)
        let registry = dir.path("Models")
        let first = try CLIRunner.run([
            "train", "--archive", archive, "--stream", "meters", "--name", "meters-forecast", "--model", "forecast",
            "--fields", "kwh", "--registry", registry, "--promote",
        ])
        #expect(first.status == 0, "\(first.stderr)")
        let again = try CLIRunner.run([
            "train", "--archive", archive, "--stream", "meters", "--name", "meters-forecast", "--registry", registry, "--promote",
        ])
        #expect(again.status == 1, "\(again.stderr)")
        #expect(again.stderr.contains("model 'meters-forecast' is of kind seasonal-forecaster (version 1), this model is of kind isolation-forest"), "\(again.stderr)")
        #expect(!again.stderr.contains("reading"), "refused before the archive is read: \(again.stderr)")
        let list = jsonObject(try CLIRunner.run(["models", "list", "--registry", registry, "--json"]).stdout)
        let model = (list["models"] as? [[String: Any]])?.first
        #expect(model?["latest"] as? Int == 1 && (model?["aliases"] as? [String: Int]) == ["production": 1])
        let same = try CLIRunner.run([
            "train", "--archive", archive, "--stream", "meters", "--name", "meters-forecast", "--model", "seasonal-forecaster",
            "--fields", "kwh", "--registry", registry,
        ])
        #expect(same.status == 0, "the same kind under its alias name registers: \(same.stderr)")
    }

    /// `models promote` refuses a version that reads other fields than the served one, `--force` overrides,
    /// and `models diff` shows both versions' stream and fields.
    @Test func promotionComparesTheFieldsTheScorersRead() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let archive = try Self.archive(dir)
        let registry = dir.path("Models")
        for extra in [["--promote"], ["--fields", "kwh"]] {
            let r = try CLIRunner.run(
                ["train", "--archive", archive, "--stream", "meters", "--name", "meters-if", "--registry", registry] + extra)
            #expect(r.status == 0, "\(r.stderr)")
        }
        let refused = try CLIRunner.run(["models", "promote", "meters-if", "2", "--registry", registry])
        #expect(refused.status == 1, "\(refused.stdout) \(refused.stderr)")
        #expect(refused.stderr.contains("fields kwh, voltage against kwh") && refused.stderr.contains("--force"), "\(refused.stderr)")
        let diff = try CLIRunner.run(["models", "diff", "meters-if", "1", "2", "--registry", registry])
        #expect(diff.stdout.contains("training fields") && diff.stdout.contains("kwh,voltage"), "\(diff.stdout)")
        #expect(diff.stdout.split(separator: "\n").contains { $0.hasPrefix("*") && $0.contains("training fields") }, "\(diff.stdout)")
        #expect(diff.stdout.contains("training stream"), "\(diff.stdout)")
        let forced = try CLIRunner.run(["models", "promote", "meters-if", "2", "--force", "--registry", registry])
        #expect(forced.status == 0 && forced.stdout.contains("v1 -> v2"), "\(forced.stderr)")
    }

    /// `train --promote` checks what `models promote` checks: a version of another shape than the alias's is
    /// registered, the alias stays (exit 6, as a job's kept candidate), and `--force` moves it.
    @Test func trainPromoteLeavesAnAliasOfAnotherShapeUnlessForced() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let archive = try Self.archive(dir)
        let registry = dir.path("Models")
        func train(_ extra: [String]) throws -> CLIRunner.Result {
            try CLIRunner.run(
                ["train", "--archive", archive, "--stream", "meters", "--name", "meters-if", "--registry", registry, "--promote"]
                    + extra)
        }
        #expect(try train([]).status == 0)
        let refused = try train(["--fields", "kwh", "--json"])
        #expect(refused.status == 6, "\(refused.stdout) \(refused.stderr)")
        #expect(refused.stderr.contains("registered meters-if version 2 but left production at version 1"), "\(refused.stderr)")
        #expect(refused.stderr.contains("fields kwh, voltage against kwh") && refused.stderr.contains("--force"), "\(refused.stderr)")
        let body = jsonObject(refused.stdout)
        #expect(body["version"] as? Int == 2 && body["promoted_to"] == nil && body["promotion_refused"] is String, "\(body)")
        let show = try CLIRunner.run(["models", "show", "meters-if", "--registry", registry, "--json"])
        #expect(show.stdout.hasPrefix("{\"aliases\":[],\"directory\":\"\(registry)/meters-if/versions/2\""), "v2 has no alias: \(show.stdout)")
        let forced = try train(["--fields", "kwh", "--force"])
        #expect(forced.status == 0 && forced.stdout.contains("version 3") && forced.stdout.contains("promoted to production"), "\(forced.stderr)")
        let misuse = try CLIRunner.run(["train", "--archive", archive, "--stream", "meters", "--name", "x", "--force"])
        #expect(misuse.status == 64 && misuse.stderr.contains("--force only changes what --promote may do"), "\(misuse.stderr)")
    }

    /// A stream imported with a `time_format` pattern and `timezone` is scored from a file of the same export
    /// as it was read at import (the model records both), and `--time-format` reads another.
    @Test func scoreReadsTimesTheWayTheTrainedStreamDoes() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let spec = try dir.write(
            "spec.yaml",
            """
            stream: plant
            time: when
            time_format: "%d.%m.%Y %H:%M"
            timezone: Europe/Berlin
            key: line
            fields: [load]
            """)
        let start = 1_767_225_600.0  // 2026-01-01T00:00:00Z
        func local(_ t: Double) -> String {
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.timeZone = TimeZone(identifier: "Europe/Berlin")
            f.dateFormat = "dd.MM.yyyy HH:mm"
            return f.string(from: Date(timeIntervalSince1970: t))
        }
        var rows = ["when,line,load"]
        for step in 0..<(6 * 24 * 4) {
            let t = start + Double(step) * 600
            for line in ["a", "b"] {
                rows.append("\(local(t)),\(line),\(String(format: "%.3f", 10 + sin(Double(step) * .pi / 72) + (line == "a" ? 0 : 5)))")
            }
        }
        let csv = try dir.write("plant.csv", rows.joined(separator: "\n") + "\n")
        let archive = dir.path("archive")
        let imported = try CLIRunner.run(["archive", "import", "--archive", archive, "--stream", "plant", "--spec", spec, csv])
        #expect(imported.status == 0, "\(imported.stderr)")
        let registry = dir.path("Models")
        let trained = try CLIRunner.run([
            "train", "--archive", archive, "--stream", "plant", "--name", "plant-forecast", "--model", "seasonal-forecaster",
            "--registry", registry, "--promote", "--param", "cadence=10m", "--param", "period=1d",
        ])
        #expect(trained.status == 0, "\(trained.stderr)")
        let tail = Array(rows.suffix(48))
        let input = try dir.write("in.csv", (["when,line,load"] + tail).joined(separator: "\n") + "\n")
        let scored = try CLIRunner.run([
            "score", "--name", "plant-forecast", "--registry", registry, "--input", input, "--output", dir.path("out.csv"), "--json",
        ])
        #expect(scored.status == 0, "\(scored.stdout) \(scored.stderr)")
        #expect(jsonObject(scored.stdout)["unreadable_rows"] as? Int == 0, "\(scored.stdout)")
        let rfc = try dir.write(
            "rfc.csv", "when,line,load\n2026-01-04T23:50:00Z,a,10.2\n2026-01-04T23:50:00Z,b,15.1\n")
        let other = try CLIRunner.run([
            "score", "--name", "plant-forecast", "--registry", registry, "--input", rfc, "--output", dir.path("rfc-out.csv"),
            "--time-format", "rfc3339", "--json",
        ])
        #expect(other.status == 0 && jsonObject(other.stdout)["unreadable_rows"] as? Int == 0, "\(other.stdout) \(other.stderr)")
        let wrong = try CLIRunner.run([
            "score", "--name", "plant-forecast", "--registry", registry, "--input", input, "--output", dir.path("w.csv"),
            "--time-format", "rfc3339",
        ])
        #expect(wrong.status == 3, "rows the override cannot read are named: \(wrong.stderr)")
        let zone = try CLIRunner.run([
            "score", "--name", "plant-forecast", "--registry", registry, "--input", input, "--output", dir.path("z.csv"),
            "--timezone", "Mars/Olympus",
        ])
        #expect(zone.status != 0 && zone.stderr.contains("Mars/Olympus"), "\(zone.stderr)")
    }
}

/// `forewarn train --job`: backtest against the champion, gates, candidate.
@Suite(.serialized) struct TrainJobCLITests {
    /// `job.yaml` in `dir`: meters-if on the last two days of `archive`, 12 h held out, and `extra`.
    static func job(_ dir: TempDir, archive: String, _ extra: String) throws -> String {
        try dir.write(
            "job.yaml",
            """
            name: meters-if
            stream: meters
            archive: \(archive)
            registry: Models
            window: {last: 2d}
            holdout: 12h
            \(extra)
            """)
    }

    /// A job whose fields changed cannot replace the champion its scorers load: it stays a candidate (exit 6)
    /// and says why, instead of being backtested against a champion that cannot read its holdout.
    @Test func aJobOfAnotherShapeThanTheChampionStaysACandidate() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let archive = try TrainScoreCLITests.archive(dir)
        func job(_ fields: String) throws -> String { try Self.job(dir, archive: archive, "fields: [\(fields)]") }
        let first = try CLIRunner.run(["train", "--job", try job("kwh, voltage"), "--json"], in: dir.url)
        #expect(first.status == 0 && jsonObject(first.stdout)["promoted"] as? Bool == true, "\(first.stderr)")
        let second = try CLIRunner.run(["train", "--job", try job("kwh"), "--json"], in: dir.url)
        #expect(second.status == 6, "\(second.stdout) \(second.stderr)")
        let refusals = jsonObject(second.stdout)["refusals"] as? [String] ?? []
        #expect(refusals.contains { $0.contains("reads another shape than the champion v1 (fields kwh, voltage against kwh)") }, "\(refusals)")
        let list = try CLIRunner.run(["models", "list", "--registry", dir.path("Models"), "--json"])
        #expect(list.stdout.contains("\"candidate\":2") && list.stdout.contains("\"production\":1"), "\(list.stdout)")
    }

    @Test func aJobPromotesWhenTheGatesPassAndKeepsACandidateWhenTheyDoNot() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let archive = try TrainScoreCLITests.archive(dir)
        func job(_ minRows: String) throws -> String {
            try Self.job(dir, archive: archive, "promotion: {min_rows: \(minRows), max_regression: 0.01}")
        }
        let first = try CLIRunner.run(["train", "--job", try job("100"), "--json"], in: dir.url)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(jsonObject(first.stdout)["promoted"] as? Bool == true)
        // A gate no model can pass: the new version is registered but stays a candidate.
        let second = try CLIRunner.run(["train", "--job", try job("1000000000"), "--json"], in: dir.url)
        #expect(second.status == 6)
        let result = jsonObject(second.stdout)
        #expect(result["alias"] as? String == "candidate" && result["champion_version"] as? Int == 1)
        #expect((result["refusals"] as? [String])?.first?.contains("fewer than min_rows") == true)
        #expect((result["backtest"] as? [String: Any])?["anomaly_rate"] is Double, "the challenger was backtested on the holdout")
        let list = try CLIRunner.run(["models", "list", "--registry", dir.path("Models"), "--json"])
        #expect(list.stdout.contains("\"candidate\":2") && list.stdout.contains("\"production\":1"), "\(list.stdout)")
        let report = try CLIRunner.run(["models", "report", "meters-if", "--version", "2", "--registry", dir.path("Models")])
        #expect(report.status == 0)
        let html = try String(contentsOfFile: report.stdout.trimmingCharacters(in: .whitespacesAndNewlines), encoding: .utf8)
        #expect(html.contains("<svg") && html.contains("Backtest on the held-out") && html.contains("kept as candidate"))
        #expect(!html.contains("<script") && !html.contains("src="), "self-contained")
        let bad = try CLIRunner.run(["train", "--job", try dir.write("bad.yaml", "name: x\nstream: meters\n")])
        #expect(bad.status == 1 && bad.stderr.contains("missing key"))
    }
}
