import Basics

extension Simulator {
    /// Milliseconds in a duration, nil when it is not one. Kept only until the
    /// training commands switch to `TimeSpan`, which owns the one grammar.
    @available(*, deprecated, message: "use TimeSpan(parsing:) or TimeSpan(_:) from Basics")
    public static func parseDuration(_ s: String) -> Int64? { TimeSpan(s)?.milliseconds }
}
