import DurableFiles
import Foundation

/// The durable file operations behind "a finished part is complete and is
/// never replaced": fsync of files and directories, and publishing a file
/// under a name only if that name is free.
enum ArchiveFiles {
    static func fsync(_ url: URL) throws {
        try wrap { () throws(DurableFileError) in try Durable.fsync(url.path) }
    }

    /// Gives `source` the name `target` unless `target` exists (returns false then).
    static func publish(_ source: URL, as target: URL) throws -> Bool {
        try wrap { () throws(DurableFileError) in try Durable.publish(source.path, as: target.path) }
    }

    static func createDirectory(_ directory: URL) throws {
        try wrap { () throws(DurableFileError) in try Durable.createDirectory(directory.path) }
    }

    static func size(_ url: URL) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? NSNumber)?.int64Value ?? 0
    }

    private static func wrap<T>(_ body: () throws(DurableFileError) -> T) throws -> T {
        do { return try body() } catch {
            throw ArchiveError.fileSystem(url: URL(fileURLWithPath: error.path), reason: "\(error.operation) failed: \(error.reason)")
        }
    }
}
