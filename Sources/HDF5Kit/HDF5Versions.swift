import CDeflate
import CHDF5
import CZlib

/// The versions of the native libraries behind HDF5Kit, for `forewarn version`.
public enum HDF5Versions {
    /// libhdf5's, asked under the HDF5 lock like every other HDF5 call.
    public static var hdf5: String {
        HDF5Library.locked {
            var major: UInt32 = 0, minor: UInt32 = 0, release: UInt32 = 0
            H5get_libversion(&major, &minor, &release)
            return "\(major).\(minor).\(release)"
        }
    }

    /// libdeflate's, which inflates archive chunks outside libhdf5.
    public static var libdeflate: String { LIBDEFLATE_VERSION_STRING }

    /// zlib's, which libhdf5's deflate filter writes with.
    public static var zlib: String { String(cString: zlibVersion()) }
}
