import Foundation
import Testing

@testable import ModelRegistry

@Suite struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func knownVectors(message: String, digest: String) {
        #expect(SHA256.hex(Data(message.utf8)) == digest)
    }

    /// Lengths around the 55/56/64-byte padding boundaries, checked against coreutils' sha256sum.
    @Test(arguments: [
        (55, "d5e285683cd4efc02d021a5c62014694958901005d6f71e89e0989fac77e4072"),
        (56, "04c26261370ee7541549d16dee320c723e3fd14671e66a099afe0a377c16888e"),
        (63, "75220b47218278e656f2013bb8f0c455a25eaf01e86c64924e9d48d89776d6f2"),
        (64, "7ce100971f64e7001e8fe5a51973ecdfe1ced42befe7ee8d5fd6219506b5393c"),
        (65, "9537c5fdf120482f7d58d25e9ed583f52c02b4e304ea814db1633ad565aed7e9"),
        (1000, "44f8354494a5ba03ba1792a8d3e9c534c47a9181980fde7a3f44b06ef2ae7c7f"),
    ])
    func paddingBoundaries(length: Int, digest: String) {
        #expect(SHA256.hex(Data(repeating: UInt8(ascii: "x"), count: length)) == digest)
    }

    @Test func streamingInPiecesMatchesOneShot() throws {
        let bytes = (0..<3000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        var h = SHA256()
        for chunk in stride(from: 0, to: bytes.count, by: 61) { h.update(bytes[chunk..<min(chunk + 61, bytes.count)]) }
        #expect(h.hexDigest() == SHA256.hex(Data(bytes)))
        let fixture = try RegistryFixture()
        defer { fixture.cleanup() }
        try Data(bytes).write(to: URL(fileURLWithPath: fixture.path("bytes")))
        #expect(try SHA256.hex(ofFile: fixture.path("bytes")) == SHA256.hex(Data(bytes)))
    }
}

@Suite struct PartitionDigestTests {
    @Test func digestsAPartRelativeToTheArchiveRoot() throws {
        let fixture = try RegistryFixture()
        defer { fixture.cleanup() }
        let part = "meters/date=2026-01-02/hour=03/part-0001.h5"
        try FileManager.default.createDirectory(atPath: fixture.path("meters/date=2026-01-02/hour=03"), withIntermediateDirectories: true)
        try Data("abc".utf8).write(to: URL(fileURLWithPath: fixture.path(part)))
        let digest = try PartitionDigest.of(part: part, archiveRoot: fixture.directory.path, rows: 3)
        #expect(digest == PartitionDigest(path: part, sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", rows: 3))
        #expect(throws: RegistryError.self) { try PartitionDigest.of(part: "absent.h5", archiveRoot: fixture.directory.path, rows: 0) }
    }
}
