import CHDF5

/// A group: a directory of datasets and further groups inside a file.
public class HDF5Group: HDF5Object {
    /// Creates a sub-group; intermediate groups of a path like `a/b` are created too.
    public func createGroup(_ name: String) throws -> HDF5Group {
        try HDF5Library.locked {
            let what = "create group '\(name)' in"
            let lcpl = try Self.intermediateLinkList(location)
            defer { H5Pclose(lcpl) }
            let gid = try HDF5Library.check(
                H5Gcreate2(try liveID(what), name, lcpl, HDF5Library.defaultID, HDF5Library.defaultID), what, location)
            return HDF5Group(id: gid, filePath: filePath, name: childName(name), isFile: false, parent: self)
        }
    }

    public func openGroup(_ name: String) throws -> HDF5Group {
        try HDF5Library.locked {
            let what = "open group '\(name)' in"
            let gid = try HDF5Library.check(H5Gopen2(try liveID(what), name, HDF5Library.defaultID), what, location)
            return HDF5Group(id: gid, filePath: filePath, name: childName(name), isFile: false, parent: self)
        }
    }

    /// Whether a link (group or dataset) exists at the relative path `name`.
    /// Each component is checked in turn, because HDF5 reports a missing
    /// intermediate group as an error rather than as "absent".
    public func contains(_ name: String) throws -> Bool {
        try HDF5Library.locked {
            let what = "look up '\(name)' in"
            let gid = try liveID(what)
            var prefix = ""
            for component in name.split(separator: "/") {
                prefix += prefix.isEmpty ? String(component) : "/\(component)"
                let found = H5Lexists(gid, prefix, HDF5Library.defaultID)
                try HDF5Library.check(status: found, what, location)
                if found == 0 { return false }
            }
            return !prefix.isEmpty
        }
    }

    /// Creates an empty, extendable (unlimited) 1-D dataset, chunked by
    /// `chunkRows` rows. Numbers are byte-shuffled before deflate, which
    /// groups similar bytes of neighbouring values and compresses far better;
    /// `deflateLevel` nil stores uncompressed. Intermediate groups are created.
    public func createDataset(
        _ name: String, type: HDF5ElementType, chunkRows: Int = 65_536, deflateLevel: Int? = 4, shuffle: Bool = true
    ) throws -> HDF5Dataset {
        try HDF5Library.locked {
            let what = "create dataset '\(name)' in"
            guard chunkRows > 0, (deflateLevel ?? 0) >= 0, (deflateLevel ?? 0) <= 9 else {
                throw HDF5Error(operation: what, object: location, detail: "chunkRows must be > 0 and deflate 0...9")
            }
            var dims: [hsize_t] = [0]
            var maxDims: [hsize_t] = [fw_h5s_unlimited()]
            var chunk: [hsize_t] = [hsize_t(chunkRows)]
            let space = try HDF5Library.check(H5Screate_simple(1, &dims, &maxDims), what, location)
            defer { H5Sclose(space) }
            let dcpl = try HDF5Library.check(H5Pcreate(fw_h5p_dataset_create()), what, location)
            defer { H5Pclose(dcpl) }
            try HDF5Library.check(status: H5Pset_chunk(dcpl, 1, &chunk), what, location)
            if shuffle, type != .string { try HDF5Library.check(status: H5Pset_shuffle(dcpl), what, location) }
            if let level = deflateLevel {
                try HDF5Library.check(status: H5Pset_deflate(dcpl, UInt32(level)), what, location)
            }
            let lcpl = try Self.intermediateLinkList(location)
            defer { H5Pclose(lcpl) }
            let fileType = type == .string ? try HDF5Strings.makeVariableType(location) : HDF5TypeInfo.fileType(type)
            defer { if type == .string { H5Tclose(fileType) } }
            let did = try HDF5Library.check(
                H5Dcreate2(try liveID(what), name, fileType, space, lcpl, dcpl, HDF5Library.defaultID), what, location)
            return HDF5Dataset(id: did, filePath: filePath, name: childName(name), isFile: false, parent: self)
        }
    }

    public func openDataset(_ name: String) throws -> HDF5Dataset {
        try HDF5Library.locked {
            let what = "open dataset '\(name)' in"
            let did = try HDF5Library.check(H5Dopen2(try liveID(what), name, HDF5Library.defaultID), what, location)
            return HDF5Dataset(id: did, filePath: filePath, name: childName(name), isFile: false, parent: self)
        }
    }

    private func childName(_ child: String) -> String { name == "/" ? "/\(child)" : "\(name)/\(child)" }

    /// A link-creation property list that creates missing intermediate groups.
    private static func intermediateLinkList(_ location: String) throws -> hid_t {
        let lcpl = try HDF5Library.check(H5Pcreate(fw_h5p_link_create()), "create link properties for", location)
        guard H5Pset_create_intermediate_group(lcpl, 1) >= 0 else {
            H5Pclose(lcpl)
            throw HDF5Error(
                operation: "create link properties for", object: location, detail: HDF5Library.takeErrorMessage())
        }
        return lcpl
    }
}
