import CDeflate

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

    /// Inflates a zlib stream that must yield exactly `chunkBytes`. libdeflate
    /// decodes whole buffers about twice as fast as zlib's streaming inflate;
    /// a decompressor is not shareable, so each call takes its own (a few KB).
    private func inflate(
        _ stored: UnsafeRawBufferPointer, into scratch: UnsafeMutableRawPointer, chunk: Int
    ) throws(HDF5ChunkDecodingError) {
        guard let decompressor = libdeflate_alloc_decompressor() else {
            throw HDF5ChunkDecodingError(chunk: chunk, reason: "libdeflate could not allocate a decompressor")
        }
        defer { libdeflate_free_decompressor(decompressor) }
        var length = 0
        let status = libdeflate_zlib_decompress(
            decompressor, stored.baseAddress, stored.count, scratch, chunkBytes, &length)
        let reason: String? =
            switch status {
            case LIBDEFLATE_SUCCESS where length == chunkBytes: nil
            case LIBDEFLATE_SUCCESS: "inflates to \(length) bytes, expected \(chunkBytes)"
            case LIBDEFLATE_INSUFFICIENT_SPACE: "the deflate stream inflates to more than \(chunkBytes) bytes"
            case LIBDEFLATE_BAD_DATA: "the deflate stream is corrupt or truncated"
            default: "libdeflate error \(status.rawValue)"
            }
        if let reason { throw HDF5ChunkDecodingError(chunk: chunk, reason: reason) }
    }

    /// The shuffle filter stores byte b of every element as plane b
    /// (`chunkRows` bytes long); this gathers elements `first..<first+count` back.
    private func unshuffle(_ planes: UnsafeRawPointer, first: Int, count: Int, into out: UnsafeMutableRawPointer) {
        var whole = 0
        if elementSize == 8 {
            whole = count / 8 * 8
            for i in stride(from: 0, to: whole, by: 8) { unshuffleEight(planes + first + i, into: out + i * 8) }
        } else if elementSize == 4 {
            whole = count / 4 * 4
            for i in stride(from: 0, to: whole, by: 4) { unshuffleFour(planes + first + i, into: out + i * 4) }
        }
        let src = planes.assumingMemoryBound(to: UInt8.self)
        let dst = out.assumingMemoryBound(to: UInt8.self)
        for i in whole..<count {
            for b in 0..<elementSize { dst[i * elementSize + b] = src[b * chunkRows + first + i] }
        }
    }

    /// Eight 8-byte elements: row b (8 bytes of plane b) of an 8x8 byte
    /// matrix becomes column b, by swapping ever smaller off-diagonal blocks
    /// (4x4, then 2x2, then single bytes) inside 64-bit words.
    @inline(__always)
    private func unshuffleEight(_ src: UnsafeRawPointer, into out: UnsafeMutableRawPointer) {
        func row(_ b: Int) -> UInt64 {
            UInt64(littleEndian: src.loadUnaligned(fromByteOffset: b * chunkRows, as: UInt64.self))
        }
        var (r0, r1, r2, r3, r4, r5, r6, r7) = (row(0), row(1), row(2), row(3), row(4), row(5), row(6), row(7))
        let m4: UInt64 = 0x0000_0000_FFFF_FFFF, m2: UInt64 = 0x0000_FFFF_0000_FFFF, m1: UInt64 = 0x00FF_00FF_00FF_00FF
        exchangeBits(&r0, &r4, 32, m4)
        exchangeBits(&r1, &r5, 32, m4)
        exchangeBits(&r2, &r6, 32, m4)
        exchangeBits(&r3, &r7, 32, m4)
        exchangeBits(&r0, &r2, 16, m2)
        exchangeBits(&r1, &r3, 16, m2)
        exchangeBits(&r4, &r6, 16, m2)
        exchangeBits(&r5, &r7, 16, m2)
        exchangeBits(&r0, &r1, 8, m1)
        exchangeBits(&r2, &r3, 8, m1)
        exchangeBits(&r4, &r5, 8, m1)
        exchangeBits(&r6, &r7, 8, m1)
        func store(_ j: Int, _ word: UInt64) {
            out.storeBytes(of: word.littleEndian, toByteOffset: j * 8, as: UInt64.self)
        }
        store(0, r0)
        store(1, r1)
        store(2, r2)
        store(3, r3)
        store(4, r4)
        store(5, r5)
        store(6, r6)
        store(7, r7)
    }

    /// Four 4-byte elements, the same way with a 4x4 matrix in 32-bit words.
    @inline(__always)
    private func unshuffleFour(_ src: UnsafeRawPointer, into out: UnsafeMutableRawPointer) {
        func row(_ b: Int) -> UInt32 {
            UInt32(littleEndian: src.loadUnaligned(fromByteOffset: b * chunkRows, as: UInt32.self))
        }
        var (r0, r1, r2, r3) = (row(0), row(1), row(2), row(3))
        exchangeBits(&r0, &r2, 16, 0x0000_FFFF)
        exchangeBits(&r1, &r3, 16, 0x0000_FFFF)
        exchangeBits(&r0, &r1, 8, 0x00FF_00FF)
        exchangeBits(&r2, &r3, 8, 0x00FF_00FF)
        out.storeBytes(of: r0.littleEndian, toByteOffset: 0, as: UInt32.self)
        out.storeBytes(of: r1.littleEndian, toByteOffset: 4, as: UInt32.self)
        out.storeBytes(of: r2.littleEndian, toByteOffset: 8, as: UInt32.self)
        out.storeBytes(of: r3.littleEndian, toByteOffset: 12, as: UInt32.self)
    }
}

/// Exchanges the bits of `a` selected by `mask << shift` with those of `b` selected by `mask`.
@inline(__always)
private func exchangeBits<W: FixedWidthInteger>(_ a: inout W, _ b: inout W, _ shift: W, _ mask: W) {
    let t = ((a >> shift) ^ b) & mask
    a ^= t << shift
    b ^= t
}
