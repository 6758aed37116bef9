import CHDF5

/// What a stored datatype is, and whether a requested Swift type may be read
/// from it without silent loss; used to reject mistyped datasets up front.
struct HDF5TypeInfo {
    var typeClass: H5T_class_t
    var size: Int
    var signed: Bool
    var variableString: Bool

    /// Describes the datatype `type` (which the caller still owns).
    init(_ type: hid_t) {
        typeClass = H5Tget_class(type)
        size = H5Tget_size(type)
        signed = typeClass == H5T_INTEGER && H5Tget_sign(type) == H5T_SGN_2
        variableString = typeClass == H5T_STRING && H5Tis_variable_str(type) > 0
    }

    var summary: String {
        switch typeClass {
        case H5T_INTEGER: "\(signed ? "int" : "uint")\(size * 8)"
        case H5T_FLOAT: "float\(size * 8)"
        case H5T_STRING: variableString ? "variable-length string" : "fixed-length string (\(size) bytes)"
        default: "HDF5 type class \(typeClass.rawValue)"
        }
    }

    /// Whether values of this stored type convert to `wanted` exactly.
    func canRead(as wanted: HDF5ElementType) -> Bool {
        switch wanted {
        case .int64: typeClass == H5T_INTEGER && (size < 8 || (size == 8 && signed))
        case .int32: typeClass == H5T_INTEGER && (size < 4 || (size == 4 && signed))
        case .double: typeClass == H5T_FLOAT
        case .string: typeClass == H5T_STRING
        }
    }

    /// Whether values of `type` can be written here unchanged (same kind and width).
    func canStore(_ type: HDF5ElementType) -> Bool {
        switch type {
        case .int64: typeClass == H5T_INTEGER && size == 8 && signed
        case .int32: typeClass == H5T_INTEGER && size == 4 && signed
        case .double: typeClass == H5T_FLOAT && size == 8
        case .string: variableString
        }
    }

    /// The native in-memory type for numeric reads and writes.
    static func memoryType(_ type: HDF5ElementType) -> hid_t {
        switch type {
        case .int64: fw_h5t_native_int64()
        case .int32: fw_h5t_native_int32()
        case .double: fw_h5t_native_double()
        case .string: -1  // strings use `HDF5Strings.makeVariableType()`
        }
    }

    /// The little-endian on-disk type used when creating datasets and attributes.
    static func fileType(_ type: HDF5ElementType) -> hid_t {
        switch type {
        case .int64: fw_h5t_std_i64le()
        case .int32: fw_h5t_std_i32le()
        case .double: fw_h5t_ieee_f64le()
        case .string: -1
        }
    }
}
