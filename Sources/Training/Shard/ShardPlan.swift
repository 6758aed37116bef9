import EventArchive
import Foundation

/// What every shard of a run must agree on, as `plan.json` in the run's
/// staging directory. The first shard of a run writes it; the others compare.
public struct ShardPlan: Codable, Equatable, Sendable {
    public var name: String
    public var model: String
    public var stream: String
    public var fields: [String]?
    /// The model parameters as key=value settings, sorted, the seed included.
    public var parameters: [String]
    public var shards: Int
    /// The fit's window [from, to), epoch ms.
    public var from: Int64
    public var to: Int64
    /// `--job`: the end of the held-out slice the merge backtests on.
    public var holdoutTo: Int64?

    /// The first difference from the run's `plan`, as "what here, what there"; nil when they agree.
    public func difference(from plan: ShardPlan) -> String? {
        func list(_ v: [String]?) -> String { v?.joined(separator: ",") ?? "all" }
        func window(_ p: ShardPlan) -> String {
            "[\(EventTime.format(p.from)), \(EventTime.format(p.to)))" + (p.holdoutTo.map { " + holdout to \(EventTime.format($0))" } ?? "")
        }
        let pairs: [(String, String, String)] = [
            ("shard count", "\(shards)", "\(plan.shards)"), ("model", model, plan.model), ("stream", stream, plan.stream),
            ("fields", list(fields), list(plan.fields)),
            ("parameters", only(parameters, not: plan.parameters), only(plan.parameters, not: parameters)),
            ("window", window(self), window(plan)),
        ]
        guard let (what, here, there) = pairs.first(where: { $0.1 != $0.2 }) else { return nil }
        return "\(what) \(here) here, \(there) in the run"
    }

    private func only(_ these: [String], not those: [String]) -> String {
        these.filter { !those.contains($0) }.joined(separator: " ")
    }

    /// The run name when none is given: the window, so shards that resolve the same window meet.
    public var defaultRun: String {
        func stamp(_ ms: Int64) -> String {
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.timeZone = TimeZone(identifier: "UTC")
            f.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
            return f.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
        }
        return "\(stamp(from))-\(stamp(holdoutTo ?? to))"
    }

    /// Window ends a shard resolves on its own ("now", the newest event) are
    /// floored to the hour, so shards started minutes apart agree.
    public static let alignMs: Int64 = 3_600_000

    public static func floorToHour(_ ms: Int64) -> Int64 {
        let q = ms / alignMs
        return (ms % alignMs < 0 ? q - 1 : q) * alignMs
    }

    public static func decode(_ data: Data) throws -> ShardPlan { try JSONDecoder().decode(ShardPlan.self, from: data) }

    public var encoded: Data {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? e.encode(self)) ?? Data()
    }
}
