import CHDF5

/// Swift number types that map one-to-one onto an HDF5 native type, so that
/// arrays of them can be handed to HDF5 without conversion.
public protocol HDF5Numeric: BitwiseCopyable, Sendable {
    static var elementType: HDF5ElementType { get }
    /// A zero used to allocate read buffers.
    static var zero: Self { get }
}

extension Int64: HDF5Numeric {
    public static var elementType: HDF5ElementType { .int64 }
}

extension Int32: HDF5Numeric {
    public static var elementType: HDF5ElementType { .int32 }
}

extension Double: HDF5Numeric {
    public static var elementType: HDF5ElementType { .double }
}
