import Foundation
import Testing

@testable import HDF5Kit

/// Chunks encoded outside libhdf5 and stored with `writeChunks` read back exactly, through `H5Dread` (HDF5's
/// own pipeline: the proof that they are what its filters would have written), through the chunk-read path,
/// and by h5py; a partial last chunk can be stored again as it fills.
@Suite struct HDF5ChunkEncodingTests {
    static let chunkRows = 100

    private func encode<T: HDF5Numeric>(_ values: [T], from row: Int, index: Int) -> HDF5EncodedChunk {
        let size = MemoryLayout<T>.stride
        var raw = [UInt8](repeating: 0, count: Self.chunkRows * size)
        values[row..<min(values.count, row + Self.chunkRows)].withUnsafeBytes { src in
            raw.withUnsafeMutableBytes { $0.copyMemory(from: src) }
        }
        return raw.withUnsafeBytes { HDF5EncodedChunk(index: index, raw: $0, elementSize: size, level: 4) }
    }

    @Test func storedChunksReadBackThroughHDF5AndTheChunkPath() throws {
        let dir = try TempDir()
        let path = dir.file("w.h5")
        let times: [Int64] = (0..<250).map { 1_767_225_600_000 + Int64($0) * 60_000 }
        var rng = SystemRandomNumberGenerator()
        // Random bits do not deflate: those chunks are stored with the deflate filter skipped (mask bit 1).
        let noise: [Double] = (0..<250).map { _ in Double(bitPattern: rng.next()) }
        do {
            let file = try HDF5File(path: path, mode: .createExclusive)
            let t = try file.createDataset("t", type: .int64, chunkRows: Self.chunkRows)
            let n = try file.createDataset("n", type: .double, chunkRows: Self.chunkRows)
            // First 130 rows: one whole chunk and a partial one; then the partial one again, grown to 250 rows.
            let early = Array(times.prefix(130))
            try t.writeChunks([encode(early, from: 0, index: 0), encode(early, from: 100, index: 1)], count: 130, elementType: .int64)
            #expect(try t.read(Int64.self) == early)
            try t.writeChunks([encode(times, from: 100, index: 1), encode(times, from: 200, index: 2)], count: 250, elementType: .int64)
            let chunks = [0, 1, 2].map { encode(noise, from: $0 * Self.chunkRows, index: $0) }
            // The last one is half zeros (padding past row 250), which deflate does shrink.
            #expect(chunks.map(\.filterMask) == [1 << 1, 1 << 1, 0], "incompressible chunks skip deflate")
            try n.writeChunks(chunks, count: 250, elementType: .double)
            let bad = try file.createDataset("plain", type: .double, chunkRows: Self.chunkRows, deflateLevel: nil, shuffle: false)
            #expect(throws: HDF5Error.self) { try bad.writeChunks([chunks[0]], count: 100, elementType: .double) }
            #expect(throws: HDF5Error.self) { try n.writeChunks([chunks[2]], count: 250, elementType: .int64) }
            try file.close()
        }
        let file = try HDF5File(path: path, mode: .readOnly)
        let t = try file.openDataset("t"), n = try file.openDataset("n")
        #expect(try t.read(Int64.self) == times)
        #expect(try t.fetch(Int64.self).values() == times)
        #expect(try n.read(Double.self).map(\.bitPattern) == noise.map(\.bitPattern))
        #expect(try n.fetch(Double.self).values().map(\.bitPattern) == noise.map(\.bitPattern))
        #expect(try t.chunkStorage(index: 0).filterMask == 0)
        try file.close()
    }
}
