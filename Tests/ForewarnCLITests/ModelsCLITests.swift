import AnomalyModels
import Foundation
import ModelRegistry
import Testing

/// `forewarn models ...` run as a user would, on a registry built through the library (as `forewarn train` will).
@Suite(.serialized) struct ModelsCLITests {
    /// A registry with versions 1...count of "meters", production on 1 when `promote`.
    static func registry(_ dir: TempDir, count: Int = 3, promote: Bool = true) throws -> String {
        let root = dir.path("Models")
        let registry = Registry(root: root, user: "ci")
        for seed in 1...count {
            var p = IsolationForestParameters()
            p.trees = 3
            p.sampleSize = 8
            p.seed = UInt64(seed)
            var rng = RandomSource(seed: UInt64(seed))
            let x = FeatureMatrix(rows: 20, columns: 1, values: (0..<20).map { _ in rng.normal() })
            let file = dir.path("fit-\(seed).h5")
            try IsolationForest.fit(x, featureNames: ["load"], parameters: p).save(to: file)
            var r = ModelRegistration(name: "meters", modelFile: file, forewarnVersion: "0.1.0")
            r.parameters = ["trees": "3", "seed": "\(seed)"]
            r.metrics = ["auc": 0.8 + Double(seed) / 100]
            r.rowCount = 20
            try registry.register(r, promoteTo: promote && seed == 1 ? "production" : nil)
        }
        return root
    }

    @Test func helpHasExamplesForEverySubcommand() throws {
        let top = try CLIRunner.run(["models", "--help"])
        #expect(top.status == 0)
        for sub in ["list", "show", "promote", "rollback", "diff", "verify", "prune", "history"] {
            #expect(top.stdout.contains(sub))
            let help = try CLIRunner.run(["models", sub, "--help"])
            #expect(help.status == 0 && help.stdout.contains("Examples:") && help.stdout.contains("--registry"), "\(sub)")
        }
    }

    @Test func listShowPromoteRollbackHistory() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let root = try Self.registry(dir)
        let list = try CLIRunner.run(["models", "list", "--registry", root])
        #expect(list.status == 0)
        #expect(list.stdout == "NAME    VERSIONS  LATEST  PENDING  ALIASES\nmeters  3         3       0        production=1\n")
        let listJSON = jsonObject(try CLIRunner.run(["models", "list", "--registry", root, "--json"]).stdout)
        let model = (listJSON["models"] as? [[String: Any]])?.first
        #expect(model?["latest"] as? Int == 3 && (model?["aliases"] as? [String: Int]) == ["production": 1])
        #expect(model?["pending_shard_runs"] as? Int == 0)

        let promote = try CLIRunner.run(["models", "promote", "meters", "3", "--registry", root, "--reason", "better"])
        #expect(promote.status == 0 && promote.stdout == "meters production: v1 -> v3\n", "\(promote.stderr)")
        let show = jsonObject(try CLIRunner.run(["models", "show", "meters", "--alias", "production", "--registry", root, "--json"]).stdout)
        #expect((show["metadata"] as? [String: Any])?["version"] as? Int == 3)
        #expect(show["aliases"] as? [String] == ["production"])
        let human = try CLIRunner.run(["models", "show", "meters", "--version", "2", "--registry", root])
        #expect(human.status == 0 && human.stdout.contains("metric auc") && human.stdout.contains("0.82"))

        let rollback = try CLIRunner.run(["models", "rollback", "meters", "--registry", root, "--json"])
        let change = jsonObject(rollback.stdout)
        #expect(change["from"] as? Int == 3 && change["to"] as? Int == 1 && change["changed"] as? Bool == true)

        let history = jsonObject(try CLIRunner.run(["models", "history", "meters", "--registry", root, "--json"]).stdout)
        let actions = (history["entries"] as? [[String: Any]])?.compactMap { $0["action"] as? String }
        #expect(actions == ["register", "promote", "register", "register", "promote", "rollback"])
        let table = try CLIRunner.run(["models", "history", "meters", "--registry", root])
        #expect(table.stdout.contains("promote   production  v1 -> v3  better"))
    }

    /// `models show` says what running scorers really serve: as the alias names, not, or not heard from lately.
    @Test func showSaysWhatScorersServe() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let root = try Self.registry(dir)
        let registry = Registry(root: root)
        let now = Date().timeIntervalSince1970
        try registry.recordServing(name: "meters", ServingRecord(instance: "a-1", alias: "production", version: 1, aliasVersion: 1, updatedAt: now))
        try registry.recordServing(name: "meters", ServingRecord(instance: "b-2", alias: "production", version: 1, aliasVersion: 3, updatedAt: now))
        try registry.recordServing(name: "meters", ServingRecord(instance: "c-3", alias: "production", version: 1, aliasVersion: 1, updatedAt: now - 600))
        let show = try CLIRunner.run(["models", "show", "meters", "--registry", root])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains("v1 by a-1") && show.stdout.contains("as the alias names"), "\(show.stdout)")
        #expect(show.stdout.contains("v1 by b-2") && show.stdout.contains("DIFFERS from the alias (production names v3)"), "\(show.stdout)")
        #expect(show.stdout.contains("v1 by c-3") && show.stdout.contains("stale"), "\(show.stdout)")
        let json = jsonObject(try CLIRunner.run(["models", "show", "meters", "--registry", root, "--json"]).stdout)
        let serving = json["serving"] as? [[String: Any]]
        #expect(serving?.count == 3 && serving?[1]["alias_version"] as? Int == 3 && serving?[1]["version"] as? Int == 1)
    }

    @Test func diffMarksWhatChanged() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let root = try Self.registry(dir, count: 2)
        let diff = try CLIRunner.run(["models", "diff", "meters", "1", "2", "--registry", root])
        #expect(diff.status == 0)
        #expect(diff.stdout.contains("*  param seed") && diff.stdout.contains("   param trees"))
        let json = jsonObject(try CLIRunner.run(["models", "diff", "meters", "1", "2", "--registry", root, "--json"]).stdout)
        #expect((json["parameters"] as? [String: [String]])?["seed"] == ["1", "2"])
    }

    @Test func verifyNamesTheCulpritAndPromoteRefusesIt() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let root = try Self.registry(dir, count: 2)
        #expect(try CLIRunner.run(["models", "verify", "--registry", root]).status == 0)
        let model = "\(root)/meters/versions/2/model.h5"
        let data = try Data(contentsOf: URL(fileURLWithPath: model))
        try data.prefix(data.count / 3).write(to: URL(fileURLWithPath: model))

        let verify = try CLIRunner.run(["models", "verify", "--registry", root])
        #expect(verify.status == 4)
        #expect(verify.stdout.contains("FAIL  meters v2 (versions/2/model.h5): size is"))
        let json = jsonObject(try CLIRunner.run(["models", "verify", "meters", "--registry", root, "--json"]).stdout)
        #expect(json["clean"] as? Bool == false && (json["problems"] as? [Any])?.count == 1)

        let promote = try CLIRunner.run(["models", "promote", "meters", "2", "--registry", root])
        #expect(promote.status == 4 && promote.stderr.contains("versions/2/model.h5"))
        #expect(try String(contentsOfFile: "\(root)/meters/aliases/production", encoding: .utf8) == "1\n")
    }

    @Test func pruneAndBadInputExitStatuses() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let root = try Self.registry(dir, count: 4)
        let prune = try CLIRunner.run(["models", "prune", "meters", "--keep", "2", "--registry", root])
        #expect(prune.status == 0 && prune.stdout == "meters: removed v2; kept v1 v3 v4\n", "\(prune.stderr)")

        let unknown = try CLIRunner.run(["models", "show", "gauges", "--registry", root])
        #expect(unknown.status == 64 && unknown.stderr.contains("no model 'gauges' in the registry (models: meters)"))
        let missing = try CLIRunner.run(["models", "promote", "meters", "2", "--registry", root])
        #expect(missing.status == 64 && missing.stderr.contains("has no version 2 (versions: 1, 3, 4)"))
        let traversal = try CLIRunner.run(["models", "history", "../etc", "--registry", root])
        #expect(traversal.status == 64 && traversal.stderr.contains("invalid model name"))
        let keep = try CLIRunner.run(["models", "prune", "meters", "--keep", "0", "--registry", root])
        #expect(keep.status == 64)
        let noTarget = try CLIRunner.run(["models", "rollback", "meters", "--registry", root])
        #expect(noTarget.status == 1 && noTarget.stderr.contains("cannot roll back"))
        let empty = try CLIRunner.run(["models", "list", "--registry", dir.path("nowhere")])
        #expect(empty.status == 0 && empty.stdout.contains("no models"))
    }

    @Test func promotesFromRacingProcessesAreSerialised() async throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let root = try Self.registry(dir, count: 2, promote: false)
        let statuses = try await withThrowingTaskGroup(of: [Int32].self) { group in
            for version in ["1", "2"] {
                group.addTask {
                    try (0..<4).map { _ in try CLIRunner.run(["models", "promote", "meters", version, "--registry", root]).status }
                }
            }
            return try await group.reduce(into: [Int32]()) { $0 += $1 }
        }
        #expect(statuses == Array(repeating: 0, count: 8))
        let history = jsonObject(try CLIRunner.run(["models", "history", "meters", "--registry", root, "--json"]).stdout)
        let promotes = (history["entries"] as? [[String: Any]])?.filter { $0["action"] as? String == "promote" } ?? []
        #expect(!promotes.isEmpty)
        for (earlier, later) in zip(promotes, promotes.dropFirst()) { #expect(later["from"] as? Int == earlier["to"] as? Int) }
        let final = try String(contentsOfFile: "\(root)/meters/aliases/production", encoding: .utf8)
        #expect(final == "\(promotes.last?["to"] as? Int ?? 0)\n")
        #expect(try CLIRunner.run(["models", "verify", "--registry", root]).status == 0)
    }
}
