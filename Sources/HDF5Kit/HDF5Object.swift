import CHDF5

/// An open HDF5 file, group or dataset: owns one HDF5 identifier and closes
/// it when released, so handles cannot leak.
///
/// Files are opened with the "strong" close degree: closing a file explicitly
/// also closes every object opened from it, and those objects then report
/// "closed" instead of touching a stale identifier. Each object keeps its
/// parent alive, so simply dropping the file reference never invalidates a
/// dataset still in use. Thread safety: HDF5Kit serialises all HDF5 calls on
/// one process-wide lock; the objects themselves are not `Sendable` and belong
/// to one task at a time.
public class HDF5Object {
    /// The HDF5 identifier; negative once closed.
    private(set) var id: hid_t
    /// Path of the file on disk, for messages.
    public let filePath: String
    /// Path of the object inside the file ("/" for the file itself).
    public let name: String
    private let isFile: Bool
    private let parent: HDF5Object?

    init(id: hid_t, filePath: String, name: String, isFile: Bool, parent: HDF5Object?) {
        self.id = id
        self.filePath = filePath
        self.name = name
        self.isFile = isFile
        self.parent = parent
    }

    deinit {
        HDF5Library.locked { _ = closeIdentifier() }
    }

    /// `file.h5:/group/dataset`, used in every error message.
    public var location: String { "\(filePath):\(name)" }

    /// Whether the handle is still usable.
    public var isOpen: Bool { HDF5Library.locked { id >= 0 && H5Iis_valid(id) > 0 } }

    /// Closes the handle now, reporting failures (for a file, closing is when
    /// buffered data reaches the disk, so its errors matter). Idempotent.
    public func close() throws {
        try HDF5Library.locked {
            try HDF5Library.check(status: closeIdentifier(), "close", location)
        }
    }

    /// The identifier, or an error if the object was closed. Callers hold the lock.
    func liveID(_ operation: @autoclosure () -> String) throws -> hid_t {
        guard id >= 0, H5Iis_valid(id) > 0 else {
            throw HDF5Error(operation: operation(), object: location, detail: "the object is closed")
        }
        return id
    }

    private func closeIdentifier() -> herr_t {
        defer { id = -1 }
        guard id >= 0, H5Iis_valid(id) > 0 else { return 0 }
        return isFile ? H5Fclose(id) : H5Oclose(id)
    }
}
