import CHDF5

/// Attributes: small named metadata values on files, groups and datasets.
///
/// Setting an attribute replaces any previous one of that name (HDF5 itself
/// refuses to create a duplicate). Typed getters check the stored type and
/// shape, so a mistyped attribute is an `HDF5Error`, not garbage.
extension HDF5Object {
    public func hasAttribute(_ name: String) throws -> Bool {
        try HDF5Library.locked {
            let obj = try liveID("look up attribute '\(name)' of")
            let found = H5Aexists(obj, name)
            try HDF5Library.check(status: found, "look up attribute '\(name)' of", location)
            return found > 0
        }
    }

    public func setAttribute(_ name: String, _ value: HDF5AttributeValue) throws {
        try HDF5Library.locked {
            let what = "write attribute '\(name)' of"
            let obj = try liveID(what)
            if H5Aexists(obj, name) > 0 {
                try HDF5Library.check(status: H5Adelete(obj, name), what, location)
            }
            switch value {
            case .int64(var v): try writeScalar(name, .int64, &v)
            case .int32(var v): try writeScalar(name, .int32, &v)
            case .double(var v): try writeScalar(name, .double, &v)
            case .string(let s): try writeStrings(name, [s], scalar: true)
            case .strings(let a): try writeStrings(name, a, scalar: false)
            }
        }
    }

    /// Reads an attribute, choosing the case from the stored type and shape.
    public func attribute(_ name: String) throws -> HDF5AttributeValue {
        try HDF5Library.locked {
            try withAttribute(name) { attr, type, info, rank, count in
                switch info.typeClass {
                case H5T_INTEGER where info.canRead(as: .int32): .int32(try readScalar(attr, name, rank, count))
                case H5T_INTEGER where info.canRead(as: .int64): .int64(try readScalar(attr, name, rank, count))
                case H5T_FLOAT: .double(try readScalar(attr, name, rank, count))
                case H5T_STRING where rank == 0:
                    .string(try readStrings(attr, type, name, count).first ?? "")
                case H5T_STRING where rank == 1: .strings(try readStrings(attr, type, name, count))
                default: throw mismatch(name, "a value HDF5Kit understands", info, rank)
                }
            }
        }
    }

    public func int64Attribute(_ name: String) throws -> Int64 {
        switch try attribute(name) {
        case .int64(let v): v
        case .int32(let v): Int64(v)
        default: throw typeError(name, "an integer")
        }
    }

    public func int32Attribute(_ name: String) throws -> Int32 {
        guard case .int32(let v) = try attribute(name) else { throw typeError(name, "a 32-bit integer") }
        return v
    }

    public func doubleAttribute(_ name: String) throws -> Double {
        guard case .double(let v) = try attribute(name) else { throw typeError(name, "a float") }
        return v
    }

    public func stringAttribute(_ name: String) throws -> String {
        guard case .string(let v) = try attribute(name) else { throw typeError(name, "a scalar string") }
        return v
    }

    public func stringsAttribute(_ name: String) throws -> [String] {
        guard case .strings(let v) = try attribute(name) else { throw typeError(name, "a 1-D string array") }
        return v
    }

    // MARK: - Helpers (the caller holds the lock)

    private func typeError(_ name: String, _ wanted: String) -> HDF5Error {
        HDF5Error(operation: "read attribute '\(name)' of", object: location, detail: "it is not \(wanted)")
    }

    private func mismatch(_ name: String, _ wanted: String, _ info: HDF5TypeInfo, _ rank: Int32) -> HDF5Error {
        HDF5Error(
            operation: "read attribute '\(name)' of", object: location,
            detail: "expected \(wanted), found \(info.summary) of rank \(rank)")
    }

    private func withAttribute<T>(
        _ name: String, _ body: (hid_t, hid_t, HDF5TypeInfo, Int32, Int) throws -> T
    ) throws -> T {
        let what = "read attribute '\(name)' of"
        let obj = try liveID(what)
        let attr = try HDF5Library.check(H5Aopen(obj, name, HDF5Library.defaultID), what, location)
        defer { H5Aclose(attr) }
        let type = try HDF5Library.check(H5Aget_type(attr), what, location)
        defer { H5Tclose(type) }
        let space = try HDF5Library.check(H5Aget_space(attr), what, location)
        defer { H5Sclose(space) }
        let rank = H5Sget_simple_extent_ndims(space)
        let count = Int(H5Sget_simple_extent_npoints(space))
        guard rank >= 0, count >= 0 else { throw HDF5Error(operation: what, object: location, detail: "bad dataspace") }
        return try body(attr, type, HDF5TypeInfo(type), rank, count)
    }

    private func readScalar<T: HDF5Numeric>(_ attr: hid_t, _ name: String, _ rank: Int32, _ count: Int) throws -> T {
        guard count == 1 else {
            throw HDF5Error(
                operation: "read attribute '\(name)' of", object: location,
                detail: "expected one value, found \(count) (rank \(rank))")
        }
        var value = T.zero
        try HDF5Library.check(
            status: H5Aread(attr, HDF5TypeInfo.memoryType(T.elementType), &value), "read attribute '\(name)' of",
            location)
        return value
    }

    private func readStrings(_ attr: hid_t, _ type: hid_t, _ name: String, _ count: Int) throws -> [String] {
        let space = try HDF5Library.check(H5Aget_space(attr), "read attribute '\(name)' of", location)
        defer { H5Sclose(space) }
        return try HDF5Strings.read(count: count, fileType: type, memorySpace: space, object: "\(location)@\(name)") {
            H5Aread(attr, $0, $1)
        }
    }

    private func createAttribute(_ name: String, type: hid_t, space: hid_t) throws -> hid_t {
        let obj = try liveID("create attribute '\(name)' of")
        return try HDF5Library.check(
            H5Acreate2(obj, name, type, space, HDF5Library.defaultID, HDF5Library.defaultID),
            "create attribute '\(name)' of", location)
    }

    private func writeScalar<T: HDF5Numeric>(_ name: String, _ type: HDF5ElementType, _ value: inout T) throws {
        let space = try HDF5Library.check(H5Screate(H5S_SCALAR), "write attribute '\(name)' of", location)
        defer { H5Sclose(space) }
        let attr = try createAttribute(name, type: HDF5TypeInfo.fileType(type), space: space)
        defer { H5Aclose(attr) }
        try HDF5Library.check(
            status: H5Awrite(attr, HDF5TypeInfo.memoryType(type), &value), "write attribute '\(name)' of", location)
    }

    private func writeStrings(_ name: String, _ values: [String], scalar: Bool) throws {
        let what = "write attribute '\(name)' of"
        let type = try HDF5Strings.makeVariableType(location)
        defer { H5Tclose(type) }
        var dims = [hsize_t(values.count)]
        let space = try HDF5Library.check(
            scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &dims, nil), what, location)
        defer { H5Sclose(space) }
        let attr = try createAttribute(name, type: type, space: space)
        defer { H5Aclose(attr) }
        guard !values.isEmpty else { return }
        try HDF5Strings.withCStrings(values) { buf in
            try HDF5Library.check(status: H5Awrite(attr, type, buf), what, location)
        }
    }
}
