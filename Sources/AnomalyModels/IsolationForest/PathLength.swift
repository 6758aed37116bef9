#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// c(n): the average path length of an unsuccessful search in a binary search
/// tree of n points (Liu, Ting and Zhou 2008), the normaliser of isolation
/// depths and the correction added at a leaf that still holds n points.
public func averagePathLength(_ n: Int) -> Double {
    if n <= 1 { return 0 }
    if n == 2 { return 1 }
    let m = Double(n - 1)
    return 2 * (log(m) + 0.577_215_664_901_532_9) - 2 * m / Double(n)
}
