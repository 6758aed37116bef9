import CDeflate
import CHDF5

/// One chunk of a 1-D numeric dataset with the shuffle and deflate filters, encoded outside libhdf5 the way
/// its pipeline would (byte planes, then a zlib stream), so it can be stored with `HDF5Dataset.writeChunks`
/// and read back by anything that reads HDF5: h5py, `H5Dread`, this package's chunk-read path. Pure
/// computation on the caller's buffers: safe on any thread, no HDF5 call, which is what lets a writer
/// compress the chunks of many columns on every core at once.
public struct HDF5EncodedChunk: Sendable {
    /// Which chunk: rows `[index × chunkRows, (index + 1) × chunkRows)`.
    public var index: Int
    /// The stored bytes (shuffled, then deflated; or raw when deflating would not make them smaller).
    public var bytes: [UInt8]
    /// HDF5's filter mask: bit i set means filter i (0 shuffle, 1 deflate) was skipped.
    public var filterMask: UInt32

    /// Encodes `raw`, one whole chunk of `elementSize`-byte elements (a last, partial chunk padded with zeros to
    /// the full length), at libdeflate `level`.
    public init(index: Int, raw: UnsafeRawBufferPointer, elementSize: Int, level: Int32) {
        self.index = index
        let count = raw.count / elementSize
        var planes = [UInt8](repeating: 0, count: raw.count)
        planes.withUnsafeMutableBytes { out in
            let src = raw.bindMemory(to: UInt8.self)
            let dst = out.bindMemory(to: UInt8.self)
            for b in 0..<elementSize {
                let plane = b * count
                var i = 0, from = b
                while i < count {
                    dst[plane + i] = src[from]
                    i += 1
                    from += elementSize
                }
            }
        }
        let bound = libdeflate_zlib_compress_bound(nil, raw.count)
        var packed = [UInt8](repeating: 0, count: bound)
        let size: Int = planes.withUnsafeBytes { p in
            packed.withUnsafeMutableBytes { o in
                guard let compressor = libdeflate_alloc_compressor(level) else { return 0 }
                defer { libdeflate_free_compressor(compressor) }
                return libdeflate_zlib_compress(compressor, p.baseAddress, p.count, o.baseAddress, o.count)
            }
        }
        if size > 0 && size < raw.count {
            packed.removeLast(packed.count - size)
            bytes = packed
            filterMask = 0
        } else {
            // As HDF5's deflate filter does when it cannot allocate: the chunk is stored with that filter skipped.
            bytes = planes
            filterMask = 1 << 1
        }
    }
}

extension HDF5Dataset {
    /// Sets the dataset's length to `count` elements and stores `chunks` as they are (`H5Dwrite_chunk`),
    /// replacing any chunk stored at the same index. The dataset must be 1-D, chunked with `chunkRows` rows,
    /// with the shuffle and deflate filters in that order (`HDF5Group.createDataset`), and `elementType` must
    /// be its type: checked here, so a wrong call fails instead of storing bytes no reader can decode.
    public func writeChunks(_ chunks: [HDF5EncodedChunk], count: Int, elementType: HDF5ElementType) throws {
        try HDF5Library.locked {
            let what = "write chunks of"
            let did = try liveID(what)
            guard let layout = HDF5ChunkLayout.inspect(did, memoryType: HDF5TypeInfo.memoryType(elementType)),
                layout.shuffleIndex == 0, layout.deflateIndex == 1
            else {
                throw HDF5Error(operation: what, object: location, detail: "not a shuffled and deflated 1-D \(elementType) dataset")
            }
            if try extent(did) != count {
                var size: [hsize_t] = [hsize_t(count)]
                try HDF5Library.check(status: H5Dset_extent(did, &size), what, location)
            }
            for chunk in chunks {
                guard chunk.index >= 0, chunk.index * layout.chunkRows < count else {
                    throw HDF5Error(operation: what, object: location, detail: "chunk \(chunk.index) lies outside the \(count) elements")
                }
                var offset: [hsize_t] = [hsize_t(chunk.index * layout.chunkRows)]
                let status = chunk.bytes.withUnsafeBytes { b in
                    H5Dwrite_chunk(did, HDF5Library.defaultID, chunk.filterMask, &offset, b.count, b.baseAddress)
                }
                try HDF5Library.check(status: status, what, location)
            }
        }
    }
}
