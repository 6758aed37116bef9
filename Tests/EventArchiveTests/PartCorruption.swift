/// One way a stored part can be damaged, drawn at random from a seeded
/// generator so a failure is replayed by its seed and index.
enum PartCorruption: CustomStringConvertible {
    /// A run of random bytes written over the file.
    case randomBytes(offset: Int, bytes: [UInt8])
    /// Single bits inverted, anywhere.
    case bitFlips([Int])
    /// The file cut short.
    case truncation(length: Int)
    /// A block overwritten with one byte value: zeros (a lost 4 KiB page), 0xFF (erased flash).
    case filledBlock(offset: Int, count: Int, byte: UInt8)
    /// Junk appended past the end.
    case extension_([UInt8])

    static let kinds = ["random bytes", "bit flips", "truncation", "zeroed block", "0xFF run", "extension"]

    var kind: String {
        switch self {
        case .randomBytes: "random bytes"
        case .bitFlips: "bit flips"
        case .truncation: "truncation"
        case .filledBlock(_, _, let byte): byte == 0 ? "zeroed block" : "0xFF run"
        case .extension_: "extension"
        }
    }

    var description: String {
        switch self {
        case .randomBytes(let offset, let bytes): "\(bytes.count) random bytes at \(offset)"
        case .bitFlips(let bits): "bits \(bits) flipped"
        case .truncation(let length): "truncated to \(length) bytes"
        case .filledBlock(let offset, let count, let byte): "\(count) bytes of \(byte) at \(offset)"
        case .extension_(let bytes): "\(bytes.count) bytes appended"
        }
    }

    /// A corruption of a `size`-byte file. One in eight aims at the first
    /// 512 bytes (the integrity header), where a miss would matter most.
    static func random(size: Int, using rng: inout some RandomNumberGenerator) -> PartCorruption {
        let offset = Int.random(in: 0..<8, using: &rng) == 0
            ? Int.random(in: 0..<min(512, size), using: &rng) : Int.random(in: 0..<size, using: &rng)
        switch Int.random(in: 0..<6, using: &rng) {
        case 0:
            let count = Int.random(in: 1...64, using: &rng)
            return .randomBytes(offset: offset, bytes: (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) })
        case 1: return .bitFlips((0..<Int.random(in: 1...4, using: &rng)).map { _ in Int.random(in: 0..<size * 8, using: &rng) })
        case 2: return .truncation(length: Int.random(in: 0..<size, using: &rng))
        case 3: return .filledBlock(offset: offset / 4096 * 4096, count: 4096, byte: 0)
        case 4: return .filledBlock(offset: offset, count: 16, byte: 0xFF)
        default: return .extension_((0..<Int.random(in: 1...600, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) })
        }
    }

    func apply(_ original: [UInt8]) -> [UInt8] {
        var b = original
        switch self {
        case .randomBytes(let offset, let bytes):
            for (i, byte) in bytes.enumerated() where offset + i < b.count { b[offset + i] = byte }
        case .bitFlips(let bits):
            for bit in bits { b[bit / 8] ^= 1 << UInt8(bit % 8) }
        case .truncation(let length): b.removeSubrange(length...)
        case .filledBlock(let offset, let count, let byte):
            for i in offset..<min(b.count, offset + count) { b[i] = byte }
        case .extension_(let bytes): b += bytes
        }
        return b
    }
}
