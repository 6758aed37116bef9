/// The element types HDF5Kit stores: the ones the archive and models need.
///
/// Integers and floats are stored little-endian; strings are variable-length
/// UTF-8, which h5py maps to Python `str` (attributes directly, datasets via
/// `.asstr()`).
public enum HDF5ElementType: String, Sendable, CustomStringConvertible {
    case int32, int64, double, string

    public var description: String {
        switch self {
        case .int32: "int32"
        case .int64: "int64"
        case .double: "float64"
        case .string: "variable-length string"
        }
    }
}
