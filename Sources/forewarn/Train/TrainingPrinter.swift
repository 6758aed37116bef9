import ArgumentParser
import Foundation
import Training

/// Prints what an ad-hoc training run made, as text or one JSON object.
struct TrainingPrinter {
    let json: Bool

    func print(_ o: TrainingOutcome, registry: String, output: String?, extra: [String: Any] = [:]) throws {
        for problem in o.skippedParts { printError("skipped corrupt part: \(problem)") }
        if !json { for note in o.fitted.notes { printError("note: \(note)") } }
        let t = o.trained
        if json {
            var out: [String: Any] = extra
            if let output { out["output"] = output }
            if let version = o.version {
                out["registry"] = registry
                out["version"] = version
                if let alias = o.promotedTo { out["promoted_to"] = alias }
                if let refusal = o.promotionRefusal { out["promotion_refused"] = refusal }
            }
            try printJSON(
                out.merging(o.fitted.json) { a, _ in a }.merging([
                    "name": t.name, "model": t.kind, "rows": t.rows, "fit_seconds": t.fitSeconds,
                    "metrics": t.metrics.filter { $0.value.isFinite }, "parameters": t.parameters,
                    "skipped_parts": t.report.problems.map { $0.url.path },
                ]) { a, _ in a })
            return
        }
        Swift.print("trained \(t.name) (\(t.kind)) on \(t.rows) rows of \(t.stream) in \(t.report.parts) parts")
        for line in o.fitted.lines { Swift.print(line) }
        Swift.print(String(format: "fit        %.1f ms (with reading the archive)", t.fitSeconds * 1000))
        if let output { Swift.print("wrote      \(output)") }
        if let version = o.version {
            Swift.print("registered \(t.name) version \(version) in \(registry)" + (o.promotedTo.map { ", promoted to \($0)" } ?? ""))
        }
        if let run = extra["run"] as? String { Swift.print("merged     \(extra["shards"] ?? "") shards of run \(run)") }
    }

    /// One shard of a sharded run; exit 2 when it skipped corrupt parts.
    func print(_ o: ShardRunOutcome<TrainingOutcome>, shard: ShardSpec, name: String, registry: String) throws {
        for part in o.skippedParts { printError("skipped corrupt part: \(part)") }
        var out: [String: Any] = ["name": name, "run": o.run, "shard": shard.index, "shards": shard.count]
        switch o.outcome {
        case .staged(let present):
            out.merge(["staged": true, "present": present, "registered": false]) { a, _ in a }
            if json { try printJSON(out) } else {
                Swift.print("staged     shard \(shard.text) of run \(o.run): \(present) of \(shard.count) shards present; the last one merges")
            }
        case .registered(let version, let now):
            out.merge(["staged": now, "present": shard.count, "registered": true, "version": version, "merged_now": now]) { a, _ in a }
            if let merged = o.merged {
                // The merge's own skipped parts were printed above, as this shard's.
                var quiet = merged
                quiet.trained.report.problems = []
                try print(quiet, registry: registry, output: nil, extra: out)
            } else if json {
                try printJSON(out)
            } else {
                Swift.print("run \(o.run) of \(name) was already merged into version \(version): nothing to do")
            }
        }
        if !o.skippedParts.isEmpty { throw ExitCode(2) }
    }
}
