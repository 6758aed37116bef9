/// One reason the scorer should not get traffic: what is failing, and since when.
struct ReadinessProblem: Sendable {
    var reason: String
    var since: ContinuousClock.Instant
}

/// Readiness as a set of named problems (`partitions`, `brokers`, `sink cassandra`, ...), each raised by
/// the part that sees it fail and cleared by the part that sees it work again. `forewarn_ready` is 1
/// exactly when none is raised, so `/readyz` and the gauge can never disagree, and a failure seen by one
/// part cannot be hidden by another part's success.
extension ServeMetrics {
    /// Raises `condition` (keeping when it first failed, if it already was failing) and sets `forewarn_ready` to 0.
    public func raise(_ condition: String, _ reason: String) {
        values.withLock { v in
            v.problems[condition] = ReadinessProblem(reason: reason, since: v.problems[condition]?.since ?? .now)
            Self.setGauge(&v, "forewarn_ready", 0, factory: factory)
        }
    }

    /// Clears `condition`; `forewarn_ready` becomes 1 when nothing else is raised.
    public func clear(_ condition: String) {
        values.withLock { v in
            guard v.problems.removeValue(forKey: condition) != nil else { return }
            Self.setGauge(&v, "forewarn_ready", v.problems.isEmpty ? 1 : 0, factory: factory)
        }
    }

    /// How long `condition` has been raised; nil when it is not.
    public func failingFor(_ condition: String) -> Duration? {
        values.withLock { v in v.problems[condition].map { ContinuousClock.now - $0.since } }
    }

    /// The raised problems, one line each (`condition: reason (for 12s)`), sorted; empty when ready.
    public var notReadyReasons: [String] {
        let now = ContinuousClock.now
        return values.withLock { v in
            v.problems.sorted { $0.key < $1.key }.map { key, p in
                "\(key): \(p.reason) (for \(Int((now - p.since).components.seconds))s)"
            }
        }
    }
}
