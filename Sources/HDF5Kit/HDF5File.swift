import CHDF5
import Foundation

/// An HDF5 file on disk; also its root group ("/"), so datasets, groups and
/// root attributes are created directly on it.
public final class HDF5File: HDF5Group {
    /// How to open or create the file.
    public enum Mode: Sendable {
        case readOnly
        case readWrite
        /// Create, replacing any existing file.
        case truncate
        /// Create, failing if the file already exists (never clobbers data).
        case createExclusive
    }

    /// `userBlockBytes` (0, or a power of two of at least 512) reserves that
    /// many bytes at the start of a created file for the caller's own use:
    /// HDF5 and h5py skip them and never write there.
    public init(path: String, mode: Mode, userBlockBytes: Int = 0) throws {
        let id = try HDF5Library.locked { try Self.open(path, mode, userBlockBytes: userBlockBytes) }
        super.init(id: id, filePath: path, name: "/", isFile: true, parent: nil)
    }

    public convenience init(url: URL, mode: Mode, userBlockBytes: Int = 0) throws {
        try self.init(path: url.path, mode: mode, userBlockBytes: userBlockBytes)
    }

    /// Writes HDF5's buffered data and metadata to the operating system, so a
    /// crash afterwards leaves a readable file (it does not fsync).
    public func flush() throws {
        try HDF5Library.locked {
            try HDF5Library.check(status: H5Fflush(try liveID("flush"), H5F_SCOPE_LOCAL), "flush", filePath)
        }
    }

    private static func open(_ path: String, _ mode: Mode, userBlockBytes: Int) throws -> hid_t {
        let verb = mode == .readOnly || mode == .readWrite ? "open file" : "create file"
        let fapl = try HDF5Library.check(H5Pcreate(fw_h5p_file_access()), verb, path)
        defer { H5Pclose(fapl) }
        try HDF5Library.check(status: H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG), verb, path)
        let fcpl = try HDF5Library.check(H5Pcreate(fw_h5p_file_create()), verb, path)
        defer { H5Pclose(fcpl) }
        if userBlockBytes > 0 {
            try HDF5Library.check(status: H5Pset_userblock(fcpl, hsize_t(userBlockBytes)), verb, path)
        }
        let id: hid_t
        switch mode {
        case .readOnly: id = H5Fopen(path, fw_h5f_acc_rdonly(), fapl)
        case .readWrite: id = H5Fopen(path, fw_h5f_acc_rdwr(), fapl)
        case .truncate: id = H5Fcreate(path, fw_h5f_acc_trunc(), fcpl, fapl)
        case .createExclusive: id = H5Fcreate(path, fw_h5f_acc_excl(), fcpl, fapl)
        }
        return try HDF5Library.check(id, verb, path)
    }
}
