import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The durable file operations behind "a finished part is complete and is
/// never replaced": fsync of files and directories, and publishing a file
/// under a name only if that name is free.
enum ArchiveFiles {
    /// Flushes a file's (or directory's) data and metadata to stable storage.
    static func fsync(_ url: URL) throws {
        let fd = open(url.path, O_RDONLY)
        guard fd >= 0 else { throw posixError(url, "open for fsync") }
        defer { close(fd) }
        #if canImport(Darwin)
            let status = fcntl(fd, F_FULLFSYNC)
        #else
            let status = Glibc.fsync(fd)
        #endif
        guard status == 0 else { throw posixError(url, "fsync") }
    }

    /// Gives `source` the name `target` unless `target` exists (returns false
    /// then), removing the old name. link(2) fails rather than replacing, which
    /// is what makes this safe where rename(2) would silently overwrite.
    static func publish(_ source: URL, as target: URL) throws -> Bool {
        if link(source.path, target.path) != 0 {
            if errno == EEXIST { return false }
            throw posixError(target, "link from \(source.lastPathComponent)")
        }
        guard unlink(source.path) == 0 else { throw posixError(source, "unlink") }
        return true
    }

    /// Creates `directory` and any missing parents, fsyncing each parent whose
    /// entries changed so the new directories survive a crash.
    static func createDirectory(_ directory: URL) throws {
        var missing: [URL] = []
        var cursor = directory
        while !FileManager.default.fileExists(atPath: cursor.path) {
            missing.append(cursor)
            cursor = cursor.deletingLastPathComponent()
        }
        guard !missing.isEmpty else { return }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw ArchiveError.fileSystem(url: directory, reason: "cannot create directory (\(error.localizedDescription))")
        }
        for created in missing { try fsync(created.deletingLastPathComponent()) }
    }

    static func size(_ url: URL) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? NSNumber)?.int64Value ?? 0
    }

    private static func posixError(_ url: URL, _ what: String) -> ArchiveError {
        .fileSystem(url: url, reason: "\(what) failed: \(String(cString: strerror(errno)))")
    }
}
