import DurableFiles
import Foundation
import HDF5Kit

/// The envelope shared by every Forewarn model file (docs/formats.md, "Model files").
enum ModelFileFormat {
    static let format = "forewarn-model"
    /// The newest `format_version` this build writes and reads.
    static let version: Int32 = 1
    static let provenancePrefix = "provenance_"
}

/// Why a model file could not be written. Nothing is left at the target path
/// when this is thrown: an existing file there is untouched.
public struct ModelWriteError: Error, Equatable, CustomStringConvertible, Sendable {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "cannot write model file \(path): \(reason)" }
}

/// Writes a model file atomically (see `Durable.replace`), turning every
/// failure into `ModelWriteError` naming the target path.
enum DurableFile {
    static func write(to path: String, _ body: (String) throws -> Void) throws {
        do {
            try Durable.replace(path, body)
        } catch let error as ModelWriteError {
            throw error
        } catch let error as HDF5Error {
            throw ModelWriteError(path: path, reason: error.description)
        } catch {
            throw ModelWriteError(path: path, reason: "\(error)")
        }
    }
}

/// Reads the attributes and datasets of a model file, turning every failure
/// (HDF5 errors included) into `ModelError.corruptModel` with a reason that
/// names the attribute or dataset concerned.
struct ModelFileReader {
    let path: String
    let file: HDF5File
    /// The file's `model_kind` attribute.
    private(set) var kind = ""

    /// Opens `path` and checks `format`, `format_version` and, unless `kind`
    /// is nil, that `model_kind` is `kind`.
    init(path: String, kind expected: String?) throws {
        self.path = path
        guard FileManager.default.fileExists(atPath: path) else {
            throw ModelError.corruptModel(path: path, reason: "the file does not exist")
        }
        do {
            file = try HDF5File(path: path, mode: .readOnly)
        } catch let error as HDF5Error {
            let detail = error.detail.isEmpty ? "cannot open" : error.detail
            throw ModelError.corruptModel(path: path, reason: "not an HDF5 file, or a truncated one (\(detail))")
        }
        let format = try string(Self.formatKey)
        guard format == ModelFileFormat.format else {
            throw corrupt("attribute 'format' is '\(format)', not '\(ModelFileFormat.format)'")
        }
        let version = try int(Self.versionKey)
        guard version <= Int(ModelFileFormat.version) else {
            throw ModelError.unsupportedVersion(path: path, found: version, supported: Int(ModelFileFormat.version))
        }
        guard version >= 1 else { throw corrupt("attribute 'format_version' is \(version); versions start at 1") }
        kind = try string(Self.kindKey)
        if let expected, kind != expected {
            throw corrupt("attribute 'model_kind' is '\(kind)', expected '\(expected)'")
        }
    }

    static let formatKey = "format", versionKey = "format_version", kindKey = "model_kind"

    func corrupt(_ reason: String) -> ModelError { .corruptModel(path: path, reason: reason) }

    // MARK: Attributes (on the root group)

    func string(_ name: String) throws -> String {
        try attribute(name, "a string") { try file.stringAttribute(name) }
    }

    func strings(_ name: String) throws -> [String] {
        try attribute(name, "a 1-D array of strings") { try file.stringsAttribute(name) }
    }

    func int(_ name: String) throws -> Int {
        Int(try attribute(name, "an integer") { try file.int64Attribute(name) })
    }

    /// An integer attribute that must lie in `range`.
    func int(_ name: String, in range: ClosedRange<Int>) throws -> Int {
        let v = try int(name)
        guard range.contains(v) else {
            throw corrupt("attribute '\(name)' is \(v), outside \(range.lowerBound)...\(range.upperBound)")
        }
        return v
    }

    func double(_ name: String) throws -> Double {
        try attribute(name, "a float") { try file.doubleAttribute(name) }
    }

    private func attribute<T>(_ name: String, _ kind: String, _ read: () throws -> T) throws -> T {
        do {
            guard try file.hasAttribute(name) else { throw corrupt("attribute '\(name)' is missing") }
            return try read()
        } catch let error as HDF5Error {
            throw corrupt("attribute '\(name)' is not \(kind) (\(error.detail))")
        }
    }

    // MARK: Datasets

    func contains(_ name: String) throws -> Bool {
        do { return try file.contains(name) } catch let error as HDF5Error {
            throw corrupt("cannot look up '\(name)' (\(error.detail))")
        }
    }

    /// Reads a whole 1-D dataset after checking that it exists and holds
    /// exactly `count` elements (`why` explains that number in the message).
    func dataset<T: HDF5Numeric>(_ name: String, _ type: T.Type, count: Int, why: String) throws -> [T] {
        guard try contains(name) else { throw corrupt("dataset '\(name)' is missing") }
        do {
            let set = try file.openDataset(name)
            let n = try set.count()
            guard n == count else { throw corrupt("dataset '\(name)' has \(n) values, expected \(count) (\(why))") }
            return try set.read(T.self)
        } catch let error as HDF5Error {
            throw corrupt("cannot read dataset '\(name)' as \(T.elementType) (\(error.detail))")
        }
    }

    func close() throws {
        do { try file.close() } catch let error as HDF5Error { throw corrupt("cannot close (\(error.detail))") }
    }
}

/// Writes the attributes and datasets of a model file being created.
struct ModelFileWriter {
    let file: HDF5File

    /// Creates (truncates) `path` and writes the common envelope attributes.
    init(path: String, kind: String, provenance: [String: String]) throws {
        file = try HDF5File(path: path, mode: .truncate)
        try file.setAttribute(ModelFileReader.formatKey, .string(ModelFileFormat.format))
        try file.setAttribute(ModelFileReader.versionKey, .int32(ModelFileFormat.version))
        try file.setAttribute(ModelFileReader.kindKey, .string(kind))
        for key in provenance.keys.sorted() {
            try file.setAttribute(ModelFileFormat.provenancePrefix + key, .string(provenance[key] ?? ""))
        }
    }

    func set(_ name: String, _ value: HDF5AttributeValue) throws { try file.setAttribute(name, value) }

    /// A 1-D dataset holding `values`: chunked (up to 65 536 elements), shuffled, deflate level 4.
    func dataset<T: HDF5Numeric>(_ name: String, _ values: [T]) throws {
        let set = try file.createDataset(
            name, type: T.elementType, chunkRows: max(1, min(values.count, 65_536)), deflateLevel: 4)
        try set.append(values)
    }

    func close() throws { try file.close() }
}
