import Foundation

/// xoshiro256** (Blackman and Vigna), seeded through SplitMix64.
///
/// Our own generator rather than `SystemRandomNumberGenerator` because simulated
/// data must be reproducible from a seed, and the standard library offers no
/// seedable generator. It is fast, has a 2^256 period and passes BigCrush.
struct Xoshiro256: RandomNumberGenerator {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64
    /// Box–Muller yields normals in pairs; the second one waits here.
    private var spare = 0.0
    private var hasSpare = false

    init(seed: UInt64) {
        var x = seed
        s0 = Self.splitMix(&x)
        s1 = Self.splitMix(&x)
        s2 = Self.splitMix(&x)
        s3 = Self.splitMix(&x)
    }

    /// SplitMix64: spreads any seed, even 0, over a well-mixed state.
    private static func splitMix(_ x: inout UInt64) -> UInt64 {
        x &+= 0x9E37_79B9_7F4A_7C15
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// Uniform in [0, 1), from the top 53 bits.
    mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Uniform in [lo, hi).
    mutating func uniform(_ lo: Double, _ hi: Double) -> Double { lo + (hi - lo) * uniform() }

    /// Standard normal, by the Box–Muller transform.
    mutating func normal() -> Double {
        if hasSpare {
            hasSpare = false
            return spare
        }
        let u1 = 1 - uniform()  // in (0, 1], so the log is finite
        let u2 = uniform()
        let r = (-2 * log(u1)).squareRoot()
        let a = 2 * Double.pi * u2
        spare = r * sin(a)
        hasSpare = true
        return r * cos(a)
    }
}
