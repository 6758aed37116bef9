import CHDF5

/// How a 1-D chunked dataset stores its chunks, when HDF5Kit can decode them
/// itself: a filter pipeline of nothing, deflate, shuffle, or shuffle then
/// deflate, with the shuffle set to the element size, and a stored type
/// identical to the memory type. Anything else (other filters or order,
/// contiguous or compact layout, a conversion on read) has no layout and is
/// read through `H5Dread`.
struct HDF5ChunkLayout: Sendable {
    var chunkRows: Int
    var elementSize: Int
    /// Pipeline positions (bits of a chunk's filter mask) of the two filters.
    var shuffleIndex: Int?
    var deflateIndex: Int?

    var chunkBytes: Int { chunkRows * elementSize }

    /// The rows chunk `index` covers, before clipping to the dataset's extent.
    func rows(ofChunk index: Int) -> Range<Int> { index * chunkRows..<(index + 1) * chunkRows }

    /// Inspects dataset `did` for reading as `memoryType`; nil when it does not qualify
    /// (HDF5 errors met on the way are cleared and also mean nil). The caller holds the lock.
    static func inspect(_ did: hid_t, memoryType: hid_t) -> HDF5ChunkLayout? {
        let layout = inspectOrFail(did, memoryType: memoryType)
        if layout == nil { _ = HDF5Library.takeErrorMessage() }
        return layout
    }

    private static func inspectOrFail(_ did: hid_t, memoryType: hid_t) -> HDF5ChunkLayout? {
        let type = H5Dget_type(did)
        guard type >= 0 else { return nil }
        defer { H5Tclose(type) }
        guard H5Tequal(type, memoryType) > 0 else { return nil }
        let elementSize = H5Tget_size(type)
        let dcpl = H5Dget_create_plist(did)
        guard dcpl >= 0 else { return nil }
        defer { H5Pclose(dcpl) }
        var dims: [hsize_t] = [0]
        // HDF5 itself refuses chunks over 4 GiB; a larger claim is damage, left to H5Dread to report.
        guard H5Pget_layout(dcpl) == H5D_CHUNKED, H5Pget_chunk(dcpl, 1, &dims) == 1, dims[0] > 0,
            elementSize > 0, dims[0] <= UInt64(UInt32.max) / UInt64(elementSize)
        else { return nil }
        var layout = HDF5ChunkLayout(chunkRows: Int(dims[0]), elementSize: elementSize)
        let count = Int(H5Pget_nfilters(dcpl))
        guard count >= 0, count <= 2 else { return nil }
        for index in 0..<count {
            var flags: UInt32 = 0
            var valueCount = 8
            var values = [UInt32](repeating: 0, count: 8)
            var config: UInt32 = 0
            let filter = H5Pget_filter2(dcpl, UInt32(index), &flags, &valueCount, &values, 0, nil, &config)
            if filter == H5Z_FILTER_SHUFFLE, index == 0, valueCount >= 1, values[0] == elementSize {
                layout.shuffleIndex = index
            } else if filter == H5Z_FILTER_DEFLATE, index == count - 1 {
                layout.deflateIndex = index
            } else {
                return nil
            }
        }
        return layout
    }
}
