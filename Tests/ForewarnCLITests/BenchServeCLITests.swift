import Foundation
import Testing

/// `bench serve` with the full loop: the scorer in a process of its own, the archive and Cassandra sinks on,
/// and the scorer's CPU accounted thread by thread apart from the bench's own.
@Suite struct BenchServeCLITests {
    @Test func theFullLoopPredictsEveryEventArchivesItAndChargesTheScorersThreads() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let archive = dir.path("archive")
        let r = try CLIRunner.run(
            ["bench", "serve", "--events", "20000", "--rate", "0", "--warmup", "0", "--scorer-process", "--archive", archive, "--cassandra", "--json"],
            timeout: .seconds(240))
        #expect(r.status == 0, "\(r.stdout) \(r.stderr)")
        let json = jsonObject(r.stdout)
        #expect(json["predicted"] as? Int == 20_000, "\(json)")
        #expect(json["archive"] as? Bool == true && json["cassandra"] as? Bool == true && json["scorer_process"] as? Bool == true)
        let scorer = try #require(json["scorer_cpu_seconds"] as? Double)
        #expect(scorer > 0 && (json["bench_cpu_seconds"] as? Double ?? 0) > 0, "\(json)")
        let threads = try #require(json["scorer_threads"] as? [[String: Any]])
        let total = threads.compactMap { $0["cpu_seconds"] as? Double }.reduce(0, +)
        #expect(abs(total - scorer) < 1e-9 && threads.contains { ($0["group"] as? String)?.hasPrefix("rdk:") == true }, "\(threads)")
        let stats = try CLIRunner.run(["archive", "stats", "--archive", archive, "--stream", "meters", "--json"])
        #expect(stats.status == 0 && (jsonObject(stats.stdout)["rows"] as? Int ?? 0) >= 20_000, "\(stats.stdout) \(stats.stderr)")
    }
}
