/// A value stored in an HDF5 attribute: the scalar and string shapes the
/// archive and model files use for their metadata.
public enum HDF5AttributeValue: Sendable, Equatable {
    case int64(Int64)
    case int32(Int32)
    case double(Double)
    /// A scalar variable-length UTF-8 string (h5py reads it as `str`).
    case string(String)
    /// A 1-D array of variable-length UTF-8 strings.
    case strings([String])
}
