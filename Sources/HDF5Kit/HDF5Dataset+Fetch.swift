import CHDF5

extension HDF5Dataset {
    /// Fetches elements `range` (default: all) as `T`, to be decoded off the
    /// HDF5 lock (see `HDF5ColumnRead`).
    ///
    /// Stored chunks are copied out raw when the pipeline qualifies and
    /// `range` spans at least one chunk (or the whole dataset); shorter reads go
    /// through `H5Dread`, whose chunk cache keeps a decoded chunk between
    /// neighbouring small reads instead of inflating it again for each. So does
    /// a dataset with a chunk never written (HDF5 supplies its fill value).
    public func fetch<T: HDF5Numeric>(_ type: T.Type = T.self, range: Range<Int>? = nil) throws -> HDF5ColumnRead<T> {
        try HDF5Library.locked {
            let did = try liveID("read \(T.elementType) from")
            let length = try extent(did)
            let wanted = range ?? 0..<length
            if wanted.lowerBound >= 0, wanted.upperBound <= length, !wanted.isEmpty,
                let layout = HDF5ChunkLayout.inspect(did, memoryType: HDF5TypeInfo.memoryType(T.elementType)),
                wanted.count >= min(layout.chunkRows, length),
                let chunks = try storedChunks(did, layout, rows: wanted)
            {
                return HDF5ColumnRead(location: location, range: wanted, source: .chunks(layout, chunks))
            }
            return HDF5ColumnRead(location: location, range: wanted, source: .values(try read(T.self, range: range)))
        }
    }

    /// Where chunk `index` lies in the file and how big it is stored (for tests that damage one).
    func chunkStorage(index: Int) throws -> (offset: UInt64, size: Int, filterMask: UInt32) {
        try HDF5Library.locked {
            let did = try liveID("locate a chunk of")
            var dims: [hsize_t] = [0]
            let dcpl = try HDF5Library.check(H5Dget_create_plist(did), "locate a chunk of", location)
            defer { H5Pclose(dcpl) }
            guard H5Pget_chunk(dcpl, 1, &dims) == 1 else {
                throw HDF5Error(operation: "locate a chunk of", object: location, detail: "not a 1-D chunked dataset")
            }
            var offset: [hsize_t] = [hsize_t(index) * dims[0]]
            var mask: UInt32 = 0
            var address: haddr_t = 0
            var size: hsize_t = 0
            try HDF5Library.check(
                status: H5Dget_chunk_info_by_coord(did, &offset, &mask, &address, &size), "locate a chunk of", location)
            // HDF5 addresses count from the end of the user block; the caller wants a position in the file.
            let fid = try HDF5Library.check(H5Iget_file_id(did), "locate a chunk of", location)
            defer { H5Fclose(fid) }
            let fcpl = try HDF5Library.check(H5Fget_create_plist(fid), "locate a chunk of", location)
            defer { H5Pclose(fcpl) }
            var userBlock: hsize_t = 0
            try HDF5Library.check(status: H5Pget_userblock(fcpl, &userBlock), "locate a chunk of", location)
            return (UInt64(address) + UInt64(userBlock), Int(size), mask)
        }
    }

    /// The stored chunks covering `rows`, or nil if one was never written. The caller holds the lock.
    private func storedChunks(_ did: hid_t, _ layout: HDF5ChunkLayout, rows: Range<Int>) throws -> [HDF5RawChunk]? {
        let what = "read the stored chunks of"
        var chunks: [HDF5RawChunk] = []
        for index in (rows.lowerBound / layout.chunkRows)...((rows.upperBound - 1) / layout.chunkRows) {
            var offset: [hsize_t] = [hsize_t(layout.rows(ofChunk: index).lowerBound)]
            var mask: UInt32 = 0
            var address: haddr_t = 0
            var size: hsize_t = 0
            try HDF5Library.check(
                status: H5Dget_chunk_info_by_coord(did, &offset, &mask, &address, &size), what, location)
            guard address != haddr_t.max, size > 0 else { return nil }
            // A deflate stream is at most a little longer than its input; a longer claim is a damaged chunk index.
            guard size <= hsize_t(layout.chunkBytes + layout.chunkBytes / 8 + 1_024) else {
                throw HDF5Error(
                    operation: what, object: location,
                    detail: "chunk \(index) claims \(size) stored bytes for \(layout.chunkBytes) bytes of data")
            }
            // H5Dread_chunk copies the stored bytes into the buffer HDF5Kit owns; it keeps no reference.
            var status: herr_t = 0
            let bytes = [UInt8](unsafeUninitializedCapacity: Int(size)) { buffer, initialized in
                status = H5Dread_chunk(did, HDF5Library.defaultID, &offset, &mask, buffer.baseAddress)
                initialized = status < 0 ? 0 : Int(size)
            }
            try HDF5Library.check(status: status, what, location)
            chunks.append(HDF5RawChunk(index: index, filterMask: mask, bytes: bytes))
        }
        return chunks
    }
}
