import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A failed file-system step, naming the path and the system call's reason.
public struct DurableFileError: Error, Equatable, CustomStringConvertible, Sendable {
    public var path: String
    public var operation: String
    public var reason: String

    public init(path: String, operation: String, reason: String) {
        self.path = path
        self.operation = operation
        self.reason = reason
    }

    public var description: String { "\(operation) \(path) failed: \(reason)" }
}

/// The crash-safe file operations the archive, the model files and the
/// registry share: after any of these returns, what it did survives a power
/// loss; if it throws, the names it promised to protect are untouched.
public enum Durable {
    /// Flushes a file's or directory's data and metadata to stable storage.
    public static func fsync(_ path: String) throws(DurableFileError) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw failure(path, "open for fsync") }
        defer { close(fd) }
        #if canImport(Darwin)
            let status = fcntl(fd, F_FULLFSYNC)
        #else
            let status = Glibc.fsync(fd)
        #endif
        guard status == 0 else { throw failure(path, "fsync") }
    }

    /// Writes `path` so that it holds either its previous content or the
    /// complete new one: `body` fills `<path>.tmp-<pid>`, which is fsynced,
    /// renamed over `path`, and the directory fsynced. On any failure the
    /// temporary file is removed and the error from `body` (or the file
    /// system) is rethrown.
    public static func replace(_ path: String, _ body: (_ temporary: String) throws -> Void) throws {
        let temporary = "\(path).tmp-\(ProcessInfo.processInfo.processIdentifier)"
        do {
            try body(temporary)
            try fsync(temporary)
            guard rename(temporary, path) == 0 else { throw failure(path, "rename from \(temporary) to") }
        } catch {
            unlink(temporary)
            throw error
        }
        try fsync(directory(of: path))
    }

    /// Writes `data` to `path` atomically (see `replace`).
    public static func write(_ data: Data, to path: String) throws {
        try replace(path) { temporary in
            guard FileManager.default.createFile(atPath: temporary, contents: data) else {
                throw failure(temporary, "create")
            }
        }
    }

    /// Gives `source` the name `target` unless `target` exists (returns false
    /// then), removing the old name. link(2) fails rather than replacing, which
    /// is what makes this safe where rename(2) would silently overwrite.
    public static func publish(_ source: String, as target: String) throws(DurableFileError) -> Bool {
        if link(source, target) != 0 {
            if errno == EEXIST { return false }
            throw failure(target, "link from \(source) to")
        }
        guard unlink(source) == 0 else { throw failure(source, "unlink") }
        return true
    }

    /// Creates `directory` and any missing parents, fsyncing each parent whose
    /// entries changed so the new directories survive a crash.
    public static func createDirectory(_ directory: String) throws(DurableFileError) {
        var missing: [String] = []
        var cursor = directory
        while !cursor.isEmpty, cursor != "/", !FileManager.default.fileExists(atPath: cursor) {
            missing.append(cursor)
            cursor = Durable.directory(of: cursor)
        }
        guard !missing.isEmpty else { return }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw DurableFileError(path: directory, operation: "create directory", reason: error.localizedDescription)
        }
        for created in missing { try fsync(Durable.directory(of: created)) }
    }

    /// The directory holding `path` ("." for a bare name).
    public static func directory(of path: String) -> String {
        let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return parent.isEmpty ? "." : parent
    }

    static func failure(_ path: String, _ operation: String) -> DurableFileError {
        DurableFileError(path: path, operation: operation, reason: String(cString: strerror(errno)))
    }
}
