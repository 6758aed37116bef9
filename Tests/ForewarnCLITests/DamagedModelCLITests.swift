import Foundation
import Testing

/// A registered version whose file changed on disk: `score` refuses it by name, `models show` says so.
@Suite(.serialized) struct DamagedModelCLITests {
    /// Flips one bit of every 64th byte of a file, keeping its size (a bad disk or a bad copy).
    static func damage(_ path: String) throws {
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        for i in stride(from: data.count / 2, to: data.count, by: 64) { data[i] ^= 0x01 }
        try data.write(to: URL(fileURLWithPath: path))
    }

    @Test func scoreRefusesADamagedVersionAndShowNamesIt() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let root = try ModelsCLITests.registry(dir, count: 2)
        let input = try dir.write("in.csv", "load\n0.1\n5\n")
        let good = try CLIRunner.run(["score", "--name", "meters", "--version", "2", "--registry", root, "--input", input, "--output", dir.path("good.csv")])
        #expect(good.status == 0, "\(good.stderr)")

        try Self.damage("\(root)/meters/versions/2/model.h5")
        let out = dir.path("out.csv")
        let score = try CLIRunner.run(["score", "--name", "meters", "--version", "2", "--registry", root, "--input", input, "--output", out])
        #expect(score.status == 4, "exit 4, a damaged model version: \(score.status) \(score.stderr)")
        #expect(score.stderr.contains("meters v2 (versions/2/model.h5): sha256 is"), "\(score.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out), "nothing written")
        // Through the alias too, once it points there (promoted before the damage).
        try "2\n".write(toFile: "\(root)/meters/aliases/production", atomically: true, encoding: .utf8)
        let aliased = try CLIRunner.run(["score", "--name", "meters", "--registry", root, "--input", input, "--output", out])
        #expect(aliased.status == 4 && aliased.stderr.contains("versions/2/model.h5"), "\(aliased.stderr)")

        let show = try CLIRunner.run(["models", "show", "meters", "--version", "2", "--registry", root])
        #expect(show.status == 0 && show.stdout.contains("damaged") && show.stdout.contains("versions/2/model.h5: sha256 is"), "\(show.stdout)")
        let json = jsonObject(try CLIRunner.run(["models", "show", "meters", "--version", "2", "--registry", root, "--json"]).stdout)
        #expect((json["problems"] as? [[String: Any]])?.first?["file"] as? String == "versions/2/model.h5")
        let sound = jsonObject(try CLIRunner.run(["models", "show", "meters", "--version", "1", "--registry", root, "--json"]).stdout)
        #expect((sound["problems"] as? [Any])?.isEmpty == true)
    }
}
