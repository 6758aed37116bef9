import CZlib

/// Why a stored chunk could not be decoded: the data is corrupt.
struct HDF5ChunkDecodingError: Error {
    var chunk: Int
    var reason: String
}

extension HDF5ChunkLayout {
    /// Undoes the pipeline of `chunk` and writes its rows `rows` (absolute row
    /// numbers, inside the chunk) to `out`. `scratch` holds at least
    /// `chunkBytes`. Pure computation: safe on any thread, no HDF5 call.
    func decode(
        _ chunk: HDF5RawChunk, rows: Range<Int>, into out: UnsafeMutableRawPointer, scratch: UnsafeMutableRawPointer
    ) throws {
        func applied(_ index: Int?) -> Bool { index.map { chunk.filterMask & (1 << UInt32($0)) == 0 } ?? false }
        let first = rows.lowerBound - chunk.index * chunkRows
        try chunk.bytes.withUnsafeBytes { stored in
            var plain = stored.baseAddress
            if applied(deflateIndex) {
                try inflate(stored, into: scratch, chunk: chunk.index)
                plain = UnsafeRawPointer(scratch)
            } else if stored.count != chunkBytes {
                throw HDF5ChunkDecodingError(
                    chunk: chunk.index, reason: "stored unfiltered as \(stored.count) bytes, expected \(chunkBytes)")
            }
            guard let plain else { return }
            if applied(shuffleIndex) && chunkRows > 1 {
                unshuffle(plain, first: first, count: rows.count, into: out)
            } else {
                out.copyMemory(from: plain + first * elementSize, byteCount: rows.count * elementSize)
            }
        }
    }

    /// Inflates a zlib stream that must yield exactly `chunkBytes`.
    private func inflate(
        _ stored: UnsafeRawBufferPointer, into scratch: UnsafeMutableRawPointer, chunk: Int
    ) throws(HDF5ChunkDecodingError) {
        var length = uLongf(chunkBytes)
        let status = uncompress(
            scratch.assumingMemoryBound(to: Bytef.self), &length, stored.baseAddress?.assumingMemoryBound(to: Bytef.self),
            uLong(stored.count))
        let reason: String? =
            switch status {
            case Z_OK where length == chunkBytes: nil
            case Z_OK: "inflates to \(length) bytes, expected \(chunkBytes)"
            case Z_BUF_ERROR: "the deflate stream is truncated or inflates to more than \(chunkBytes) bytes"
            case Z_DATA_ERROR: "the deflate stream is corrupt"
            case Z_MEM_ERROR: "zlib ran out of memory"
            default: "zlib error \(status)"
            }
        if let reason { throw HDF5ChunkDecodingError(chunk: chunk, reason: reason) }
    }

    /// The shuffle filter stores byte b of every element as plane b
    /// (`chunkRows` bytes long); this gathers elements `first..<first+count` back.
    private func unshuffle(_ planes: UnsafeRawPointer, first: Int, count: Int, into out: UnsafeMutableRawPointer) {
        let src = planes.assumingMemoryBound(to: UInt8.self)
        let plane = chunkRows
        switch elementSize {
        case 8:
            for i in 0..<count {
                let j = first + i
                var v = UInt64(src[j])
                v |= UInt64(src[plane + j]) << 8
                v |= UInt64(src[2 * plane + j]) << 16
                v |= UInt64(src[3 * plane + j]) << 24
                v |= UInt64(src[4 * plane + j]) << 32
                v |= UInt64(src[5 * plane + j]) << 40
                v |= UInt64(src[6 * plane + j]) << 48
                v |= UInt64(src[7 * plane + j]) << 56
                out.storeBytes(of: v.littleEndian, toByteOffset: i * 8, as: UInt64.self)
            }
        case 4:
            for i in 0..<count {
                let j = first + i
                var v = UInt32(src[j])
                v |= UInt32(src[plane + j]) << 8
                v |= UInt32(src[2 * plane + j]) << 16
                v |= UInt32(src[3 * plane + j]) << 24
                out.storeBytes(of: v.littleEndian, toByteOffset: i * 4, as: UInt32.self)
            }
        default:
            let dst = out.assumingMemoryBound(to: UInt8.self)
            for i in 0..<count {
                for b in 0..<elementSize { dst[i * elementSize + b] = src[b * plane + first + i] }
            }
        }
    }
}
