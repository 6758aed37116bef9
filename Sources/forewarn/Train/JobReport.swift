import ArgumentParser
import Foundation
import Training

/// Prints what a training job decided; exit 6 when the challenger was kept a candidate.
struct JobReport {
    /// Exit status when the challenger was registered but the gates kept it a candidate.
    static let refusedStatus: Int32 = 6

    let training: ScheduledTraining
    let json: Bool

    var name: String { training.job.name }

    func print(_ r: ScheduledTraining.Result, extra: [String: Any] = [:]) throws {
        if json {
            try printJSON([
                "name": name, "version": r.version, "champion_version": r.champion as Any? ?? NSNull(),
                "backtest": r.challenger, "champion_backtest": r.championFigures, "promoted": r.promoted,
                "alias": r.promoted ? r.alias : "candidate", "refusals": r.refusals,
            ].merging(extra) { a, _ in a })
        } else {
            func figures(_ f: [String: Double]) -> String {
                f.sorted { $0.key < $1.key }.map { String(format: "%@ %.4f", $0.key, $0.value) }.joined(separator: ", ")
            }
            Swift.print("challenger \(name) v\(r.version): \(figures(r.challenger))")
            if let champion = r.champion {
                Swift.print("champion   \(name) v\(champion): \(figures(r.championFigures))")
            } else {
                Swift.print("champion   none yet")
            }
            if r.promoted {
                Swift.print("promoted   v\(r.version) to \(r.alias)")
            } else {
                Swift.print("kept       v\(r.version) as candidate: \(r.refusals.joined(separator: "; "))")
            }
        }
        if !r.promoted { throw ExitCode(Self.refusedStatus) }
    }

    func print(_ o: ShardRunOutcome<ScheduledTraining.Result>, shard: ShardSpec) throws {
        let extra: [String: Any] = ["run": o.run, "shard": shard.index, "shards": shard.count]
        switch o.outcome {
        case .staged(let present):
            if json {
                return try printJSON(extra.merging(["name": name, "staged": true, "present": present, "registered": false]) { a, _ in a })
            }
            Swift.print("staged     shard \(shard.text) of run \(o.run): \(present) of \(shard.count) shards present; the last one merges")
        case .registered(let version, _):
            if let result = o.merged {
                try print(result, extra: extra.merging(["staged": true, "registered": true, "merged_now": true]) { a, _ in a })
            } else if json {
                try printJSON(extra.merging(["name": name, "version": version, "registered": true, "merged_now": false]) { a, _ in a })
            } else {
                Swift.print("run \(o.run) of \(name) was already merged into version \(version): nothing to do")
            }
        }
    }
}
