import CHDF5

/// A 1-D dataset: a column of numbers or strings that can grow by appending
/// and be read whole or in slices (hyperslabs), so large columns can be
/// streamed with bounded memory.
///
/// Reads check the stored rank and type first: asking for `Int64` from a
/// float column, or reading a 2-D dataset, is an `HDF5Error`.
public final class HDF5Dataset: HDF5Object {
    /// Number of elements (the length of the single dimension).
    public func count() throws -> Int {
        try HDF5Library.locked { try extent(try liveID("read the size of")) }
    }

    /// The stored element type, when it is one HDF5Kit reads.
    public func elementType() throws -> HDF5ElementType? {
        try HDF5Library.locked {
            let info = try typeInfo(try liveID("read the type of"))
            return [HDF5ElementType.int32, .int64, .double, .string].first { info.canRead(as: $0) }
        }
    }

    /// Extends the dataset by `values.count` elements and writes them at the end.
    public func append<T: HDF5Numeric>(_ values: [T]) throws {
        guard !values.isEmpty else { return }
        try HDF5Library.locked {
            try values.withUnsafeBytes { buf in
                try appendRaw(values.count, T.elementType, HDF5TypeInfo.memoryType(T.elementType), buf.baseAddress!)
            }
        }
    }

    /// Extends the dataset with variable-length UTF-8 strings.
    public func append(_ values: [String]) throws {
        guard !values.isEmpty else { return }
        try HDF5Library.locked {
            let memType = try HDF5Strings.makeVariableType(location)
            defer { H5Tclose(memType) }
            try HDF5Strings.withCStrings(values) { try appendRaw(values.count, .string, memType, $0) }
        }
    }

    /// Reads elements `range` (default: all) as `T`.
    public func read<T: HDF5Numeric>(_ type: T.Type = T.self, range: Range<Int>? = nil) throws -> [T] {
        try HDF5Library.locked {
            try withSelection(range, reading: T.elementType) { did, memSpace, fileSpace, count in
                // H5Dread fills every element, so the array is not zeroed first; on failure it is discarded.
                var status: herr_t = 0
                let out = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
                    status = H5Dread(
                        did, HDF5TypeInfo.memoryType(T.elementType), memSpace, fileSpace, HDF5Library.defaultID,
                        buffer.baseAddress)
                    initialized = status < 0 ? 0 : count
                }
                try HDF5Library.check(status: status, "read \(T.elementType) from", location)
                return out
            }
        }
    }

    /// Reads elements `range` (default: all) of a string dataset.
    public func readStrings(range: Range<Int>? = nil) throws -> [String] {
        try HDF5Library.locked {
            try withSelection(range, reading: .string) { did, memSpace, fileSpace, count in
                let type = try HDF5Library.check(H5Dget_type(did), "read strings from", location)
                defer { H5Tclose(type) }
                return try HDF5Strings.read(count: count, fileType: type, memorySpace: memSpace, object: location) {
                    H5Dread(did, $0, memSpace, fileSpace, HDF5Library.defaultID, $1)
                }
            }
        }
    }

    // MARK: - Helpers (the caller holds the lock)

    func typeInfo(_ did: hid_t) throws -> HDF5TypeInfo {
        let type = try HDF5Library.check(H5Dget_type(did), "read the type of", location)
        defer { H5Tclose(type) }
        return HDF5TypeInfo(type)
    }

    /// The length of the dataset, checking that it is 1-D.
    func extent(_ did: hid_t) throws -> Int {
        let space = try HDF5Library.check(H5Dget_space(did), "read the shape of", location)
        defer { H5Sclose(space) }
        let rank = H5Sget_simple_extent_ndims(space)
        guard rank == 1 else {
            throw HDF5Error(operation: "use", object: location, detail: "expected a 1-D dataset, found rank \(rank)")
        }
        var dims: [hsize_t] = [0]
        try HDF5Library.check(status: H5Sget_simple_extent_dims(space, &dims, nil), "read the shape of", location)
        guard let length = Int(exactly: dims[0]) else {
            throw HDF5Error(operation: "use", object: location, detail: "its length \(dims[0]) is out of range")
        }
        return length
    }

    private func appendRaw(_ n: Int, _ type: HDF5ElementType, _ memType: hid_t, _ buffer: UnsafeRawPointer) throws {
        let what = "append to"
        let did = try liveID(what)
        let info = try typeInfo(did)
        guard info.canStore(type) else {
            throw HDF5Error(operation: what, object: location, detail: "cannot store \(type) in a \(info.summary) dataset")
        }
        let old = try extent(did)
        var newSize: [hsize_t] = [hsize_t(old + n)]
        try HDF5Library.check(status: H5Dset_extent(did, &newSize), what, location)
        let fileSpace = try HDF5Library.check(H5Dget_space(did), what, location)
        defer { H5Sclose(fileSpace) }
        var start: [hsize_t] = [hsize_t(old)]
        var count: [hsize_t] = [hsize_t(n)]
        try HDF5Library.check(
            status: H5Sselect_hyperslab(fileSpace, H5S_SELECT_SET, &start, nil, &count, nil), what, location)
        let memSpace = try HDF5Library.check(H5Screate_simple(1, &count, nil), what, location)
        defer { H5Sclose(memSpace) }
        try HDF5Library.check(
            status: H5Dwrite(did, memType, memSpace, fileSpace, HDF5Library.defaultID, buffer), what, location)
    }

    /// Validates type, rank and range, selects `range` in the file and calls
    /// `body(dataset, memorySpace, fileSpace, count)`; an empty range returns `[]`.
    private func withSelection<R>(
        _ range: Range<Int>?, reading type: HDF5ElementType, _ body: (hid_t, hid_t, hid_t, Int) throws -> [R]
    ) throws -> [R] {
        let what = "read \(type) from"
        let did = try liveID(what)
        let info = try typeInfo(did)
        guard info.canRead(as: type) else {
            throw HDF5Error(operation: what, object: location, detail: "the dataset holds \(info.summary)")
        }
        let length = try extent(did)
        let wanted = range ?? 0..<length
        guard wanted.lowerBound >= 0, wanted.upperBound <= length else {
            throw HDF5Error(
                operation: what, object: location, detail: "range \(wanted) is outside the \(length) elements stored")
        }
        guard !wanted.isEmpty else { return [] }
        let fileSpace = try HDF5Library.check(H5Dget_space(did), what, location)
        defer { H5Sclose(fileSpace) }
        var start: [hsize_t] = [hsize_t(wanted.lowerBound)]
        var count: [hsize_t] = [hsize_t(wanted.count)]
        try HDF5Library.check(
            status: H5Sselect_hyperslab(fileSpace, H5S_SELECT_SET, &start, nil, &count, nil), what, location)
        let memSpace = try HDF5Library.check(H5Screate_simple(1, &count, nil), what, location)
        defer { H5Sclose(memSpace) }
        return try body(did, memSpace, fileSpace, wanted.count)
    }
}
