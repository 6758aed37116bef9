import Basics
import Testing

/// The published FNV-1a 64-bit test vectors (Landon Curt Noll's test suite, also
/// in draft-eastlake-fnv), so a slip in the constants or the order of xor and
/// multiply cannot pass.
@Suite struct FNV1aTests {
    @Test(arguments: [
        ("", 0xcbf2_9ce4_8422_2325 as UInt64), ("a", 0xaf63_dc4c_8601_ec8c), ("b", 0xaf63_df4c_8601_f1a5),
        ("foobar", 0x8594_4171_f739_67e8),
    ])
    func publishedVectors(text: String, hash: UInt64) {
        #expect(FNV1a.hash64(text) == hash)
        #expect(FNV1a.hash64(Array(text.utf8)) == hash)
    }

    @Test func aSeedStartsFromItInsteadOfTheOffsetBasis() {
        #expect(FNV1a.hash64("", seed: 42) == 42)
        #expect(FNV1a.hash64("a", seed: FNV1a.offsetBasis) == 0xaf63_dc4c_8601_ec8c)
        #expect(FNV1a.hash64("a", seed: 1) == (1 ^ 0x61) &* FNV1a.prime)
    }
}
