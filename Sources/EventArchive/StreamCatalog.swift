import Foundation

/// The spec of each archived stream, kept at `<root>/<stream>/stream.yaml`.
///
/// Writing the spec beside the data lets later commands (stats, export, train)
/// work from the archive alone, and lets an import with a different spec be
/// refused before it mixes incompatible parts into one stream.
public enum StreamCatalog {
    public static func specURL(root: URL, stream: String) -> URL {
        root.appendingPathComponent(stream).appendingPathComponent("stream.yaml")
    }

    /// Records `spec` for its stream, or checks it matches the one already recorded.
    public static func register(spec: StreamSpec, root: URL) throws {
        let url = specURL(root: root, stream: spec.stream)
        if try check(spec: spec, root: root) { return }
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try AtomicFile.write(Data(yaml(spec).utf8), to: url)
    }

    /// Whether `spec` is recorded for its stream already (false: none is); throws `CatalogError.specMismatch`
    /// when another one is. Writes nothing.
    @discardableResult
    public static func check(spec: StreamSpec, root: URL) throws -> Bool {
        let url = specURL(root: root, stream: spec.stream)
        guard FileManager.default.fileExists(atPath: url.path) else { return false }
        guard try StreamSpec.load(path: url.path).specHash == spec.specHash else {
            throw CatalogError.specMismatch(stream: spec.stream, recorded: url.path)
        }
        return true
    }

    /// Records `spec` in place of the stream's recorded spec, which only a stream without part files allows
    /// (finished, in progress or quarantined: every part was written with the old spec). Throws
    /// `CatalogError.streamHasParts` naming how many there are.
    public static func replace(spec: StreamSpec, root: URL) throws {
        let parts = partFiles(root: root, stream: spec.stream)
        guard parts == 0 else { throw CatalogError.streamHasParts(stream: spec.stream, parts: parts) }
        let url = specURL(root: root, stream: spec.stream)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try AtomicFile.write(Data(yaml(spec).utf8), to: url)
    }

    /// Part files (`.h5`, `.h5.inprogress`) anywhere under the stream's directory, quarantine included.
    public static func partFiles(root: URL, stream: String) -> Int {
        let dir = root.appendingPathComponent(stream)
        guard let walk = FileManager.default.enumerator(atPath: dir.path) else { return 0 }
        var n = 0
        while let path = walk.nextObject() as? String {
            if path.hasSuffix(ArchiveLayout.partSuffix) || path.hasSuffix(ArchiveLayout.inProgressSuffix) { n += 1 }
        }
        return n
    }

    /// The recorded spec as it is written in `stream.yaml`.
    public static func text(of spec: StreamSpec) -> String { yaml(spec) }

    /// The recorded spec of a stream.
    public static func spec(root: URL, stream: String) throws -> StreamSpec {
        let dir = root.appendingPathComponent(stream)
        guard FileManager.default.fileExists(atPath: dir.path) else {
            throw CatalogError.unknownStream(stream: stream, root: root.path, known: streams(root: root))
        }
        let url = specURL(root: root, stream: stream)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw CatalogError.noSpec(stream: stream, expected: url.path)
        }
        return try StreamSpec.load(path: url.path)
    }

    /// Streams under an archive root.
    public static func streams(root: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return names.filter { StreamSpec.isSafeName($0) }.sorted()
    }

    static func yaml(_ spec: StreamSpec) -> String {
        func q(_ s: String) -> String {
            let data = (try? JSONEncoder().encode(s)) ?? Data("\"\"".utf8)
            return String(decoding: data, as: UTF8.self)
        }
        var lines = ["stream: \(q(spec.stream))", "time: \(q(spec.time))"]
        if let key = spec.key { lines.append("key: \(q(key))") }
        if let id = spec.id { lines.append("id: \(q(id))") }
        lines.append("fields: [\(spec.fields.map(q).joined(separator: ", "))]")
        if spec.timeFormat != .auto { lines.append("time_format: \(q(spec.timeFormat.text))") }
        if spec.timeZone != "UTC" { lines.append("timezone: \(q(spec.timeZone))") }
        return lines.joined(separator: "\n") + "\n"
    }
}

public enum CatalogError: Error, CustomStringConvertible {
    case unknownStream(stream: String, root: String, known: [String])
    case noSpec(stream: String, expected: String)
    case specMismatch(stream: String, recorded: String)
    case streamHasParts(stream: String, parts: Int)

    public var description: String {
        switch self {
        case .unknownStream(let s, let root, let known):
            "unknown stream '\(s)' under \(root)" + (known.isEmpty ? " (the archive is empty)" : " (streams: \(known.joined(separator: ", ")))")
        case .noSpec(let s, let path):
            "stream '\(s)' has no recorded spec at \(path)"
        case .specMismatch(let s, let path):
            "the spec differs from the one stream '\(s)' was archived with (\(path)); use a new stream name for a new shape, "
                + "or, while the stream holds no parts, replace it: forewarn archive spec --stream \(s) --replace SPEC"
        case .streamHasParts(let s, let n):
            "stream '\(s)' holds \(n) part file\(n == 1 ? "" : "s") written with its recorded spec: its spec cannot change; "
                + "archive the new shape under a new stream name"
        }
    }
}

/// Write-to-temporary, fsync, rename, fsync-directory: a reader sees the old file or the new one, never half of one.
public enum AtomicFile {
    public static func write(_ data: Data, to url: URL) throws {
        let dir = url.deletingLastPathComponent()
        let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        guard FileManager.default.createFile(atPath: tmp.path, contents: data) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: tmp.path])
        }
        try fsyncPath(tmp.path)
        guard rename(tmp.path, url.path) == 0 else {
            let message = String(cString: strerror(errno))
            unlink(tmp.path)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path, NSLocalizedDescriptionKey: message])
        }
        try fsyncPath(dir.path)
    }

    static func fsyncPath(_ path: String) throws { try ArchiveFiles.fsync(URL(fileURLWithPath: path)) }
}
