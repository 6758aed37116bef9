import CHDF5
import Foundation

/// Conversion between Swift strings and HDF5 string buffers.
///
/// Strings are written as variable-length UTF-8 (what h5py produces for
/// `str`), so no length limit has to be chosen up front. Reading also accepts
/// fixed-length strings, so files written by other tools stay readable.
/// Callers hold the HDF5 lock.
enum HDF5Strings {
    /// A new variable-length UTF-8 string type; the caller closes it.
    static func makeVariableType(_ object: String) throws -> hid_t {
        let type = try HDF5Library.check(H5Tcopy(fw_h5t_c_s1()), "create string type for", object)
        guard H5Tset_size(type, fw_h5t_variable()) >= 0, H5Tset_cset(type, H5T_CSET_UTF8) >= 0 else {
            H5Tclose(type)
            throw HDF5Error(operation: "create string type for", object: object, detail: HDF5Library.takeErrorMessage())
        }
        return type
    }

    /// Calls `body` with a C array of NUL-terminated copies of `strings`
    /// (the layout HDF5 expects for variable-length strings). A string with an
    /// embedded NUL is stored up to that NUL. `strings` must not be empty.
    static func withCStrings<R>(_ strings: [String], _ body: (UnsafeRawPointer) throws -> R) rethrows -> R {
        let pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        defer { for p in pointers { free(p) } }
        return try pointers.withUnsafeBufferPointer { try body(UnsafeRawPointer($0.baseAddress!)) }
    }

    /// Reads `count` strings stored as `fileType`. `read(memoryType, buffer)`
    /// performs the actual H5Dread/H5Aread; `memorySpace` describes the buffer
    /// (needed to free HDF5's variable-length allocations afterwards).
    static func read(
        count: Int, fileType: hid_t, memorySpace: hid_t, object: String,
        _ read: (hid_t, UnsafeMutableRawPointer) -> herr_t
    ) throws -> [String] {
        guard count > 0 else { return [] }
        if H5Tis_variable_str(fileType) > 0 {
            let memType = try makeVariableType(object)
            defer { H5Tclose(memType) }
            var buffer = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
            return try buffer.withUnsafeMutableBufferPointer { buf in
                let raw = UnsafeMutableRawPointer(buf.baseAddress!)
                try HDF5Library.check(status: read(memType, raw), "read strings of", object)
                let out = buf.map { $0.map { String(cString: $0) } ?? "" }
                H5Dvlen_reclaim(memType, memorySpace, HDF5Library.defaultID, raw)
                return out
            }
        }
        let size = H5Tget_size(fileType)
        let (total, overflow) = count.multipliedReportingOverflow(by: size)
        guard size > 0, !overflow, total < Int.max else {
            throw HDF5Error(operation: "read strings of", object: object, detail: "\(count) strings of \(size) bytes")
        }
        let memType = try HDF5Library.check(H5Tcopy(fileType), "copy string type of", object)
        defer { H5Tclose(memType) }
        var bytes = [UInt8](repeating: 0, count: total + 1)
        try bytes.withUnsafeMutableBytes { raw in
            try HDF5Library.check(status: read(memType, raw.baseAddress!), "read strings of", object)
        }
        return (0..<count).map { i in
            let slice = bytes[(i * size)..<((i + 1) * size)]
            return String(decoding: slice.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
