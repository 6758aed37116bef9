import CHDF5
import CZlib
import Foundation
import Testing

@testable import HDF5Kit

/// `fetch` + `values()` (stored chunks decoded by HDF5Kit) must return
/// exactly what `read` (`H5Dread`) returns, whatever the pipeline.
@Suite struct HDF5ColumnReadTests {
    /// 1,050 values in chunks of 100: ten whole chunks and a partial last one.
    static let rows = 1_050
    static let doubles: [Double] = (0..<rows).map { i in
        switch i % 97 {
        case 3: .nan
        case 5: -.infinity
        case 7: -0.0
        default: (Double(i) * 0.37).rounded() / 100
        }
    }
    static let int64s: [Int64] = (0..<rows).map { Int64($0) * 1_000_003 - 500_000_000 }
    static let int32s: [Int32] = (0..<rows).map { Int32($0 % 37) - 5 }

    /// Writes the three columns with one pipeline and reopens the file read-only.
    private func file(_ dir: TempDir, deflate: Int?, shuffle: Bool) throws -> HDF5File {
        let path = dir.file("c.h5")
        do {
            let file = try HDF5File(path: path, mode: .createExclusive)
            func column(_ name: String, _ type: HDF5ElementType) throws -> HDF5Dataset {
                try file.createDataset(name, type: type, chunkRows: 100, deflateLevel: deflate, shuffle: shuffle)
            }
            try column("d", .double).append(Self.doubles)
            try column("l", .int64).append(Self.int64s)
            try column("i", .int32).append(Self.int32s)
            try file.close()
        }
        return try HDF5File(path: path, mode: .readOnly)
    }

    private func expectSame<T: HDF5Numeric>(_ set: HDF5Dataset, _ type: T.Type) throws {
        for range in [0..<Self.rows, 0..<100, 50..<1_050, 130..<990, 1_000..<1_050, 399..<500] {
            let fetched = try set.fetch(T.self, range: range)
            let expected = try set.read(T.self, range: range)
            #expect(fetched.isDirect == (range.count >= 100), "\(set.name) \(range)")
            #expect(bits(try fetched.values()) == bits(expected), "\(set.name) \(range)")
        }
    }

    /// Compares bit patterns, so that NaN equals NaN and -0 differs from 0.
    private func bits<T: HDF5Numeric>(_ values: [T]) -> [UInt8] { values.withUnsafeBytes { Array($0) } }

    @Test(arguments: [(4, true), (4, false), (nil, true), (nil, false), (0, true)] as [(Int?, Bool)])
    func matchesH5Dread(deflate: Int?, shuffle: Bool) throws {
        let dir = try TempDir()
        let file = try file(dir, deflate: deflate, shuffle: shuffle)
        try expectSame(try file.openDataset("d"), Double.self)
        try expectSame(try file.openDataset("l"), Int64.self)
        try expectSame(try file.openDataset("i"), Int32.self)
        #expect(try file.openDataset("d").fetch(Double.self).values().count == Self.rows)
    }

    @Test func conversionsAndBadRangesGoThroughH5Dread() throws {
        let dir = try TempDir()
        let file = try file(dir, deflate: 4, shuffle: true)
        let ints = try file.openDataset("i").fetch(Int64.self)
        #expect(!ints.isDirect)
        #expect(try ints.values() == Self.int32s.map(Int64.init))
        #expect(throws: HDF5Error.self) { try file.openDataset("i").fetch(Int32.self, range: 1_000..<1_051) }
        #expect(throws: HDF5Error.self) { try file.openDataset("i").fetch(Double.self) }
        #expect(try file.openDataset("d").fetch(Double.self, range: 5..<5).values().isEmpty)
    }

    @Test func decodesConcurrently() throws {
        let dir = try TempDir()
        let file = try file(dir, deflate: 4, shuffle: true)
        let sets = try ["d", "d", "d", "d"].map { try file.openDataset($0) }
        let reads = try sets.enumerated().map { try $1.fetch(Double.self, range: $0 * 10..<Self.rows) }
        HDF5Decode.concurrently(reads)
        for (k, read) in reads.enumerated() {
            #expect(bits(try read.values()) == bits(Array(Self.doubles[(k * 10)...])))
        }
    }

    /// Random bit patterns: incompressible, and NaNs with arbitrary payloads.
    @Test func randomBitPatterns() throws {
        let dir = try TempDir()
        let path = dir.file("r.h5")
        var state: UInt64 = 7
        let random: [Double] = (0..<300).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(bitPattern: state ^ (state >> 29))
        }
        do {
            let file = try HDF5File(path: path, mode: .createExclusive)
            try file.createDataset("r", type: .double, chunkRows: 100).append(random)
            try file.close()
        }
        let set = try HDF5File(path: path, mode: .readOnly).openDataset("r")
        let fetched = try set.fetch(Double.self)
        #expect(fetched.isDirect)
        #expect(bits(try fetched.values()) == bits(random))
    }

    /// Chunks written directly with a filter mask: chunk 1 shuffled only,
    /// chunk 2 stored raw, although the pipeline is shuffle + deflate.
    @Test func chunksWrittenWithFiltersSkipped() throws {
        let dir = try TempDir()
        let path = dir.file("m.h5")
        let replaced: [Int64] = (100..<300).map { Int64($0) * -3 }
        do {
            let file = try HDF5File(path: path, mode: .createExclusive)
            let set = try file.createDataset("l", type: .int64, chunkRows: 100)
            try set.append(Self.int64s)
            let raw = replaced[100...].withUnsafeBytes { Array($0) }
            let shuffled = (0..<800).map { k in replaced[k % 100].littleEndianBytes[k / 100] }
            try writeChunk(set, row: 100, mask: 0b10, shuffled)
            try writeChunk(set, row: 200, mask: 0b11, raw)
            try file.close()
        }
        let set = try HDF5File(path: path, mode: .readOnly).openDataset("l")
        #expect(try set.chunkStorage(index: 2).filterMask == 0b11)
        var expected = Self.int64s
        expected.replaceSubrange(100..<300, with: replaced)
        #expect(try set.read(Int64.self) == expected)
        try expectSame(set, Int64.self)
    }

    /// Stores `bytes` as the chunk starting at `row`, with filters `mask` skipped.
    private func writeChunk(_ set: HDF5Dataset, row: Int, mask: UInt32, _ bytes: [UInt8]) throws {
        try HDF5Library.locked {
            var offset: [hsize_t] = [hsize_t(row)]
            let status = bytes.withUnsafeBytes {
                H5Dwrite_chunk(set.id, HDF5Library.defaultID, mask, &offset, $0.count, $0.baseAddress)
            }
            try HDF5Library.check(status: status, "write a chunk of", set.location)
        }
    }

    /// A well-formed deflate stream of half a chunk, and a raw chunk of the wrong size.
    @Test func chunksOfTheWrongSizeAreErrors() throws {
        let dir = try TempDir()
        let path = dir.file("w.h5")
        do {
            let file = try HDF5File(path: path, mode: .createExclusive)
            let set = try file.createDataset("l", type: .int64, chunkRows: 100)
            try set.append(Self.int64s)
            var deflated = [UInt8](repeating: 0, count: 1_000)
            var length = uLongf(deflated.count)
            let half = [UInt8](repeating: 7, count: 400)
            #expect(compress(&deflated, &length, half, uLong(half.count)) == Z_OK)
            try writeChunk(set, row: 300, mask: 0, Array(deflated[..<Int(length)]))
            try writeChunk(set, row: 500, mask: 0b11, [UInt8](repeating: 1, count: 500))
            try file.close()
        }
        let set = try HDF5File(path: path, mode: .readOnly).openDataset("l")
        let short = #expect(throws: HDF5Error.self) { try set.fetch(Int64.self, range: 250..<450).values() }
        #expect(short?.operation == "decode chunk 3 (rows 300..<400) of")
        #expect(short?.detail == "inflates to 400 bytes, expected 800")
        let raw = #expect(throws: HDF5Error.self) { try set.fetch(Int64.self, range: 500..<600).values() }
        #expect(raw?.detail == "stored unfiltered as 500 bytes, expected 800")
        #expect(try set.fetch(Int64.self, range: 600..<1_050).values() == Array(Self.int64s[600...]))
    }

    @Test func overlongAndTruncatedStreamsAreErrors() throws {
        let dir = try TempDir()
        let path = dir.file("o.h5")
        func deflated(_ plain: [UInt8]) -> [UInt8] {
            var out = [UInt8](repeating: 0, count: plain.count + 100)
            var length = uLongf(out.count)
            #expect(compress(&out, &length, plain, uLong(plain.count)) == Z_OK)
            return Array(out[..<Int(length)])
        }
        do {
            let file = try HDF5File(path: path, mode: .createExclusive)
            let set = try file.createDataset("l", type: .int64, chunkRows: 100)
            try set.append(Self.int64s)
            try writeChunk(set, row: 300, mask: 0, deflated([UInt8](repeating: 7, count: 1_200)))
            try writeChunk(set, row: 500, mask: 0, Array(deflated((0..<800).map { UInt8($0 % 251) }).dropLast(9)))
            try file.close()
        }
        let set = try HDF5File(path: path, mode: .readOnly).openDataset("l")
        let long = #expect(throws: HDF5Error.self) { try set.fetch(Int64.self, range: 300..<400).values() }
        #expect(long?.detail == "the deflate stream inflates to more than 800 bytes")
        let cut = #expect(throws: HDF5Error.self) { try set.fetch(Int64.self, range: 500..<600).values() }
        #expect(cut?.detail == "the deflate stream is corrupt or truncated")
        #expect(try set.fetch(Int64.self, range: 0..<300).values() == Array(Self.int64s[..<300]))
    }

    @Test func aCorruptChunkIsAnErrorNamingIt() throws {
        let dir = try TempDir()
        let path = dir.file("c.h5")
        do {
            let file = try self.file(dir, deflate: 4, shuffle: true)
            let chunk = try file.openDataset("d").chunkStorage(index: 3)
            try file.close()
            let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
            try handle.seek(toOffset: chunk.offset + UInt64(chunk.size / 2))
            let original = try handle.read(upToCount: 16) ?? Data()
            try handle.seek(toOffset: chunk.offset + UInt64(chunk.size / 2))
            try handle.write(contentsOf: Data(original.map { ~$0 }))
            try handle.close()
        }
        let file = try HDF5File(path: path, mode: .readOnly)
        let fetched = try file.openDataset("d").fetch(Double.self)
        let error = #expect(throws: HDF5Error.self) { try fetched.values() }
        #expect(error?.operation == "decode chunk 3 (rows 300..<400) of")
        #expect(error?.object == "\(path):/d")
        let rest = try file.openDataset("d").fetch(Double.self, range: 400..<1_050).values()
        #expect(bits(rest) == bits(Array(Self.doubles[400...])))
        #expect(try file.openDataset("l").fetch(Int64.self).values() == Self.int64s)
    }
}

extension Int64 {
    fileprivate var littleEndianBytes: [UInt8] { withUnsafeBytes(of: littleEndian) { Array($0) } }
}
